import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { DomainError } from '../common/errors/domain-error.js';
import { PAYOUT_EVENT } from '../events/event-map.js';
import { EventsService } from '../events/events.service.js';
import { payoutChange } from './payout-event.js';
import { PayoutHistory } from './payout-history.entity.js';
import { PAYOUT_TRANSITIONS, type PayoutTransition } from './payout-status.js';
import { Payout } from './payout.entity.js';

const VERBS: Record<PayoutTransition, string> = { approve: 'approved', send: 'sent', acknowledge: 'acknowledged', return: 'returned', cancel: 'cancelled' };

/**
 * The payout state machine (docs/design.md "State machines"). Each transition is one guarded
 * UPDATE … WHERE status = expected, recorded in payout_history in the same transaction.
 */
@Injectable()
export class PayoutTransitions {
  constructor(private readonly events: EventsService) {}

  /** The payout of the circle, locked until the transaction ends; 404 when it is not there. */
  async lock(manager: EntityManager, circleId: string, payoutId: string): Promise<Payout> {
    const payout = await manager
      .createQueryBuilder(Payout, 'p')
      .setLock('pessimistic_write')
      .where('p.id = :payoutId AND p.circle_id = :circleId', { payoutId, circleId })
      .getOne();
    if (!payout) throw DomainError.notFound('payout');
    return payout;
  }

  /** 409 naming the current state when `transition` cannot start from it. */
  expect(payout: Payout, transition: PayoutTransition): void {
    const { from } = PAYOUT_TRANSITIONS[transition];
    if ((from as readonly string[]).includes(payout.status)) return;
    throw new DomainError('invalid-state', `This payout is ${payout.status}; only a ${from.join(' or ')} payout can be ${VERBS[transition]}.`, { state: payout.status });
  }

  /** Moves a locked payout along `transition`, setting `changes` in the same UPDATE. */
  async apply(manager: EntityManager, payout: Payout, transition: PayoutTransition, actorUserId: string | null, changes: Partial<Payout> = {}): Promise<Payout> {
    this.expect(payout, transition);
    const to = PAYOUT_TRANSITIONS[transition].to;
    const result = await manager
      .createQueryBuilder()
      .update(Payout)
      .set({ ...changes, status: to })
      .where('id = :id AND status = :expected', { id: payout.id, expected: payout.status })
      .execute();
    // The row is locked, so this only fails if a caller skipped lock(): never silently lose a transition.
    if (result.affected !== 1) throw new DomainError('invalid-state', 'The payout changed while this request ran: fetch it again.');
    await manager.insert(PayoutHistory, { circleId: payout.circleId, payoutId: payout.id, event: 'status_change', fromStatus: payout.status, toStatus: to, actorUserId });
    const moved = await manager.findOneByOrFail(Payout, { id: payout.id });
    await this.events.emit(PAYOUT_EVENT[to], payout.circleId, payoutChange(moved, payout.status, to));
    return moved;
  }

  /**
   * Gives a locked sent payout a new acknowledgement link, replacing the stored hash and expiry
   * (so any earlier link stops working), and records who issued it and when. Not a transition:
   * the payout stays sent.
   */
  async replaceAcknowledgementLink(manager: EntityManager, payout: Payout, actorUserId: string, tokenHash: string, expiresAt: Date): Promise<void> {
    if (payout.status !== 'sent') {
      throw new DomainError('invalid-state', `This payout is ${payout.status}; an acknowledgement link is issued only for a sent payout.`, { state: payout.status });
    }
    const result = await manager
      .createQueryBuilder()
      .update(Payout)
      .set({ ackTokenHash: tokenHash, ackExpiresAt: expiresAt })
      .where('id = :id AND status = :sent', { id: payout.id, sent: 'sent' })
      .execute();
    if (result.affected !== 1) throw new DomainError('invalid-state', 'The payout changed while this request ran: fetch it again.');
    await manager.insert(PayoutHistory, { circleId: payout.circleId, payoutId: payout.id, event: 'acknowledgement_link_issued', fromStatus: 'sent', toStatus: 'sent', actorUserId });
  }
}
