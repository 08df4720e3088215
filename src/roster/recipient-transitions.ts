import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { EntityManager, QueryPartialEntity } from 'typeorm';
import { DomainError } from '../common/errors/domain-error.js';
import { TransactionHost } from '../database/transaction-host.js';
import { RECIPIENT_EVENT } from '../events/event-map.js';
import { EventsService } from '../events/events.service.js';
import { PrivacyService } from '../privacy/privacy.service.js';
import { RecipientStatusChange } from './recipient-status-change.entity.js';
import { DEFAULT_OFFER_DAYS, TRANSITIONS, type ChangeReason, type ExitReason, type RecipientAction, type RecipientStatus } from './recipient-status.js';
import { Recipient } from './recipient.entity.js';
import { actorColumns, type Actor } from '../common/actor.js';
import { expectMove, invalidState as stateConflict, lostRace } from '../common/state-machine.js';

export interface TransitionRequest {
  circleId: string;
  recipientId: string;
  action: RecipientAction;
  /** Who acts: an organizer, the recipient through their link, or the offer expiry sweep. */
  actor: Actor;
  at: Date;
  reason?: ChangeReason;
  offeredUntil?: Date;
  exitReason?: ExitReason;
}

export interface TransitionResult {
  recipient: Recipient;
  from: RecipientStatus;
}

const DAY_MS = 86_400_000;

export const invalidState = (status: RecipientStatus, detail: string): DomainError => stateConflict('recipient', status, detail);

/**
 * Moves a recipient between states (docs/design.md "State machines"): one guarded UPDATE
 * (… WHERE id = $1 AND status = $expected), its history row and its event, all in
 * one transaction. Callers check access first.
 */
@Injectable()
export class RecipientTransitions {
  constructor(
    private readonly tx: TransactionHost,
    private readonly events: EventsService,
    private readonly privacy: PrivacyService,
  ) {}

  async apply(req: TransitionRequest): Promise<TransitionResult> {
    return this.tx.run(async (manager) => {
      const current = await this.find(manager, req.circleId, req.recipientId);
      const rule = expectMove('recipient', TRANSITIONS, req.action, current.status);
      if (req.action === 'accept' && current.offeredUntil! <= req.at) {
        throw invalidState(current.status, `the offer expired at ${current.offeredUntil!.toISOString()} and can no longer be accepted.`);
      }

      const qb = manager
        .createQueryBuilder()
        .update(Recipient)
        .set({ status: rule.to, statusChangedAt: req.at, ...this.changes(rule.to, req) })
        .where('id = :id AND circle_id = :circleId AND status = :expected', { id: req.recipientId, circleId: req.circleId, expected: current.status })
        .setParameter('at', req.at);
      // The offer window is part of the guard, so an accept and the expiry sweep cannot both win.
      if (req.action === 'accept') qb.andWhere('offered_until > :at');
      if (req.action === 'expire') qb.andWhere('offered_until <= :at');
      const result = await qb.execute();
      if (result.affected !== 1) {
        throw lostRace('recipient', (await this.find(manager, req.circleId, req.recipientId)).status);
      }

      await manager.insert(RecipientStatusChange, {
        id: randomUUID(),
        recipientId: req.recipientId,
        circleId: req.circleId,
        fromStatus: current.status,
        toStatus: rule.to,
        ...actorColumns(req.actor),
        at: req.at,
        reason: req.exitReason ?? req.reason ?? null,
      });
      if (rule.to === 'exited') await this.privacy.markExited(req.circleId, req.recipientId, req.at);
      // Cycles assigns, suspends or frees the slot on this event, in this transaction.
      await this.events.emit(
        RECIPIENT_EVENT[rule.to],
        req.circleId,
        {
          recipientId: req.recipientId,
          from: current.status,
          to: rule.to,
          at: req.at.toISOString(),
          ...(rule.to === 'offered' ? { offeredUntil: req.offeredUntil!.toISOString() } : {}),
          ...(rule.to === 'exited' ? { exitReason: req.exitReason } : {}),
        },
        req.at,
      );
      return { recipient: await manager.findOneByOrFail(Recipient, { id: req.recipientId }), from: current.status };
    });
  }

  /**
   * A freed slot goes to the first waitlisted person (docs/design.md "State machines": first come, first served
   * unless an organizer reorders). If a concurrent change takes that person first, the
   * next one is tried. Returns who was offered, if anyone.
   */
  async offerFreedSlot(circleId: string, actor: Actor, at: Date): Promise<Recipient | null> {
    return this.tx.run(async (manager) => {
      for (let attempt = 0; attempt < 5; attempt++) {
        const next = await manager
          .createQueryBuilder(Recipient, 'r')
          .where('r.circle_id = :circleId AND r.status = :status', { circleId, status: 'waitlisted' })
          .orderBy('r.queue_key', 'ASC')
          .addOrderBy('r.id', 'ASC')
          .getOne();
        if (!next) return null;
        try {
          const offeredUntil = new Date(at.getTime() + DEFAULT_OFFER_DAYS * DAY_MS);
          const { recipient } = await this.apply({ circleId, recipientId: next.id, action: 'offer', actor, at, reason: 'slot_freed', offeredUntil });
          return recipient;
        } catch (error) {
          if (!(error instanceof DomainError && error.code === 'invalid-state')) throw error;
        }
      }
      return null;
    });
  }

  private async find(manager: EntityManager, circleId: string, recipientId: string): Promise<Recipient> {
    const recipient = await manager.findOneBy(Recipient, { id: recipientId, circleId });
    if (!recipient) throw DomainError.notFound('recipient');
    return recipient;
  }

  /** The columns each target state sets besides status, keeping the entity's checks true. */
  private changes(to: RecipientStatus, req: TransitionRequest): QueryPartialEntity<Recipient> {
    switch (to) {
      case 'waitlisted':
        return { waitlistedAt: req.at, offeredUntil: null };
      case 'offered':
        if (!req.offeredUntil) throw new Error('an offer needs offeredUntil');
        return { offeredAt: req.at, offeredUntil: req.offeredUntil };
      case 'active':
        return { offeredUntil: null, pausedAt: null, activatedAt: () => 'COALESCE(activated_at, :at)' };
      case 'paused':
        return { pausedAt: req.at };
      case 'exited':
        if (!req.exitReason) throw new Error('an exit needs a reason');
        return { exitedAt: req.at, exitReason: req.exitReason, offeredUntil: null };
    }
  }
}
