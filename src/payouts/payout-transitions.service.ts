import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { DomainError } from '../common/errors/domain-error.js';
import { PAYOUT_EVENT } from '../events/event-map.js';
import { EventsService } from '../events/events.service.js';
import { payoutChange } from './payout-event.js';
import { PayoutHistory } from './payout-history.entity.js';
import { PAYOUT_TRANSITIONS, type PayoutTransition } from './payout-status.js';
import { Payout } from './payout.entity.js';
import { actorColumns, userActor, type Actor } from '../common/actor.js';
import { expectMove, invalidState, lostRace } from '../common/state-machine.js';

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
    expectMove('payout', PAYOUT_TRANSITIONS, transition, payout.status);
  }

  /** Moves a locked payout along `transition`, setting `changes` in the same UPDATE. */
  async apply(manager: EntityManager, payout: Payout, transition: PayoutTransition, actor: Actor, changes: Partial<Payout> = {}): Promise<Payout> {
    const { to } = expectMove('payout', PAYOUT_TRANSITIONS, transition, payout.status);
    const result = await manager
      .createQueryBuilder()
      .update(Payout)
      .set({ ...changes, status: to })
      .where('id = :id AND status = :expected', { id: payout.id, expected: payout.status })
      .execute();
    // The row is locked, so this only fails if a caller skipped lock(): never silently lose a transition.
    if (result.affected !== 1) throw lostRace('payout', (await manager.findOneByOrFail(Payout, { id: payout.id })).status);
    await manager.insert(PayoutHistory, { circleId: payout.circleId, payoutId: payout.id, event: 'status_change', fromStatus: payout.status, toStatus: to, ...actorColumns(actor) });
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
    if (payout.status !== 'sent') throw invalidState('payout', payout.status, 'an acknowledgement link is issued only for a sent payout.');
    const result = await manager
      .createQueryBuilder()
      .update(Payout)
      .set({ ackTokenHash: tokenHash, ackExpiresAt: expiresAt })
      .where('id = :id AND status = :sent', { id: payout.id, sent: 'sent' })
      .execute();
    if (result.affected !== 1) throw lostRace('payout', (await manager.findOneByOrFail(Payout, { id: payout.id })).status);
    await manager.insert(PayoutHistory, { circleId: payout.circleId, payoutId: payout.id, event: 'acknowledgement_link_issued', fromStatus: 'sent', toStatus: 'sent', ...actorColumns(userActor(actorUserId)) });
  }
}
