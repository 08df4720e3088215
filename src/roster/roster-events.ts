import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { RecipientStatus } from './recipient-status.js';

export interface RecipientStatusChanged {
  circleId: string;
  recipientId: string;
  from: RecipientStatus;
  to: RecipientStatus;
  at: Date;
}

export type StatusChangedHook = (change: RecipientStatusChanged, manager: EntityManager) => Promise<void>;

/**
 * Lets modules above the roster (cycles assigns and frees slots) act inside the
 * transaction of a status change without the roster importing them. A hook that throws
 * rolls the transition back.
 */
@Injectable()
export class RosterEvents {
  private readonly hooks: StatusChangedHook[] = [];

  add(hook: StatusChangedHook): void {
    this.hooks.push(hook);
  }

  async emit(change: RecipientStatusChanged, manager: EntityManager): Promise<void> {
    for (const hook of this.hooks) await hook(change, manager);
  }
}
