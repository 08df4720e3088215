import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { In, type Repository } from 'typeorm';
import type { UserProfile } from './user-profile.js';
import { User } from './user.entity.js';

const PROFILE_COLUMNS = { id: true, email: true, createdAt: true } as const;

/** Read access to users for other modules. Never exposes password hashes. */
@Injectable()
export class UsersService {
  constructor(@InjectRepository(User) private readonly users: Repository<User>) {}

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
