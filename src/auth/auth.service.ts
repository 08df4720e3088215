import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { InjectRepository } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import { DomainError } from '../common/errors/domain-error.js';
import type { AuthUser } from './auth-user.js';
import { PasswordHasher } from './password-hasher.js';
import { SessionsService } from './sessions.service.js';
import type { IssuedTokens } from './token.service.js';
import type { UserProfile } from './user-profile.js';
import { User } from './user.entity.js';

/** Same code and words for an unknown email and a wrong password, so the answer reveals neither. */
const invalidCredentials = (): DomainError => new DomainError('invalid-credentials', 'Email or password is wrong.');

@Injectable()
export class AuthService {
  constructor(
    @InjectRepository(User) private readonly users: Repository<User>,
    private readonly hasher: PasswordHasher,
    private readonly sessions: SessionsService,
  ) {}

  /** `email` arrives trimmed and lower-cased (RegisterDto). */
  async register(email: string, password: string): Promise<UserProfile> {
    const passwordHash = await this.hasher.hash(password);
    // ON CONFLICT instead of check-then-insert: two simultaneous sign-ups cannot both win.
    const rows = (await this.users.query(
      `INSERT INTO users (id, email, password_hash) VALUES ($1, $2, $3) ON CONFLICT (email) DO NOTHING RETURNING id, email, created_at`,
      [randomUUID(), email, passwordHash],
    )) as { id: string; email: string; created_at: Date }[];
    if (rows.length === 0) throw new DomainError('email-taken', 'An account with this email already exists.');
    return { id: rows[0].id, email: rows[0].email, createdAt: rows[0].created_at };
  }

  async login(email: string, password: string): Promise<IssuedTokens> {
    const user = await this.users.findOne({ where: { email }, select: { id: true, passwordHash: true } });
    if (!user) {
      await this.hasher.verifyAgainstDummy(password);
      throw invalidCredentials();
    }
    if (!(await this.hasher.verify(user.passwordHash, password))) throw invalidCredentials();
    if (this.hasher.needsRehash(user.passwordHash)) {
      await this.users.update({ id: user.id }, { passwordHash: await this.hasher.hash(password) });
    }
    return this.sessions.start(user.id);
  }

  refresh(refreshToken: string): Promise<IssuedTokens> {
    return this.sessions.rotate(refreshToken);
  }

  logout(user: AuthUser): Promise<void> {
    return this.sessions.revoke(user.sessionId, 'logout');
  }
}
