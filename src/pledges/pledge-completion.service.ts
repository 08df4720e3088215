import { Injectable } from '@nestjs/common';
import { termsOf } from '../cycles/cycle-weeks.service.js';
import { CyclesService } from '../cycles/cycles.service.js';
import { lastPayoutDate } from '../cycles/schedule.js';
import { TransactionHost } from '../database/transaction-host.js';
import { PaymentsService } from '../payments/payments.service.js';
import { JOB_ACTOR } from './pledge-actor.js';
import { PledgeTransitions } from './pledge-transitions.service.js';
import { Pledge } from './pledge.entity.js';

/**
 * Pledges bound to a cycle end with it: `completed` once the cycle is closed or its last
 * payout day has passed (a card pledge's subscription is cancelled first, so the donor is
 * not charged again). A bound card pledge whose checkout never finished is cancelled.
 * Exported for the jobs module, like PledgeLapse; the clock is a parameter.
 */
@Injectable()
export class PledgeCompletion {
  constructor(
    private readonly tx: TransactionHost,
    private readonly cycles: CyclesService,
    private readonly payments: PaymentsService,
    private readonly transitions: PledgeTransitions,
  ) {}

  async completeEnded(now: Date): Promise<{ completed: number }> {
    const candidates: { id: string; circle_id: string; cycle_id: string; today: string }[] = await this.tx.manager.query(
      `SELECT p.id, p.circle_id, p.cycle_id, ($1::timestamptz AT TIME ZONE c.timezone)::date::text AS today
         FROM pledges p JOIN circles c ON c.id = p.circle_id
        WHERE p.cycle_id IS NOT NULL AND p.status IN ('pending', 'active', 'paused', 'past_due')
        ORDER BY p.circle_id, p.id`,
      [now.toISOString()],
    );
    let completed = 0;
    for (const row of candidates) {
      const done = await this.tx.run(async (manager) => {
        const cycle = await this.cycles.find(manager, row.circle_id, row.cycle_id);
        if (cycle.status !== 'closed' && lastPayoutDate(termsOf(cycle)) >= row.today) return false;
        const pledge = await manager.createQueryBuilder(Pledge, 'p').setLock('pessimistic_write').where('p.id = :id', { id: row.id }).getOne();
        if (!pledge || !['pending', 'active', 'paused', 'past_due'].includes(pledge.status)) return false;
        if (pledge.method === 'card' && pledge.providerSubscriptionRef) await this.payments.cancelSubscription(pledge.providerSubscriptionRef, `${pledge.id}-completed`);
        const moved = await this.transitions.moveToward(pledge, pledge.status === 'pending' ? 'cancelled' : 'completed', JOB_ACTOR, now);
        return moved.status === 'completed';
      });
      if (done) completed++;
    }
    return { completed };
  }
}
