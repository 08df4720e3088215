import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { In, type Repository } from 'typeorm';
import { TransactionHost } from '../database/transaction-host.js';
import { PasswordHasher } from './password-hasher.js';
import type { UserProfile } from './user-profile.js';
import { User } from './user.entity.js';

const PROFILE_COLUMNS = { id: true, email: true, createdAt: true } as const;

/** Read access to users for other modules, and closing an account. Never exposes password hashes. */
@Injectable()
export class UsersService {
  constructor(
    @InjectRepository(User) private readonly users: Repository<User>,
    private readonly hasher: PasswordHasher,
    private readonly tx: TransactionHost,
  ) {}

  /** Whether `password` is the account's password (for re-authenticating a destructive request). */
  async passwordMatches(userId: string, password: string): Promise<boolean> {
    const user = await this.users.findOne({ where: { id: userId }, select: { id: true, passwordHash: true } });
    if (!user) {
      await this.hasher.verifyAgainstDummy(password);
      return false;
    }
    return this.hasher.verify(user.passwordHash, password);
  }

  /**
   * Closes the account in the current transaction: the email is replaced by a placeholder
   * that names no one (so it can be registered again) and the password hash by one that no
   * password matches. The id stays, since histories and money records point at it. The
   * placeholder `deleted:<id>` has no `@`, so sign-up (which takes email addresses only) can
   * never claim it first and make the deletion collide with it.
   */
  async close(userId: string): Promise<void> {
    await this.tx.manager.query(
      `UPDATE users SET email = 'deleted:' || id::text, password_hash = '!', deleted_at = now() WHERE id = $1 AND deleted_at IS NULL`,
      [userId],
    );
  }

  async findById(id: string): Promise<UserProfile | null> {
    const user = await this.users.findOne({ where: { id }, select: PROFILE_COLUMNS });
    return user ? { id: user.id, email: user.email, createdAt: user.createdAt } : null;
  }

  /** Emails by user id; ids with no user are simply absent from the map. */
  async findEmails(ids: string[]): Promise<Map<string, string>> {
    const unique = [...new Set(ids)];
    if (unique.length === 0) return new Map();
    const rows = await this.users.find({ where: { id: In(unique) }, select: { id: true, email: true } });
    return new Map(rows.map((u) => [u.id, u.email]));
  }
}
