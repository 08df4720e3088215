import { Injectable } from '@nestjs/common';
import { CircleFactsService } from '../circles/circle-facts.service.js';
import { termsOf } from '../cycles/cycle-weeks.service.js';
import { CyclesService } from '../cycles/cycles.service.js';
import { lastPayoutDate } from '../cycles/schedule.js';
import { TransactionHost } from '../database/transaction-host.js';
import { PaymentsService } from '../payments/payments.service.js';
import { localDate } from './local-date.js';
import { JOB_ACTOR } from '../common/actor.js';
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
    private readonly circles: CircleFactsService,
  ) {}

  async completeEnded(now: Date): Promise<{ completed: number }> {
    const candidates: { id: string; circle_id: string; cycle_id: string }[] = await this.tx.manager.query(
      `SELECT id, circle_id, cycle_id FROM pledges
        WHERE cycle_id IS NOT NULL AND status IN ('pending', 'active', 'paused', 'past_due')
        ORDER BY circle_id, id`,
    );
    // One read for every circle of the run: "today" is the date in each circle's time zone.
    const circles = await this.circles.factsOf(candidates.map((c) => c.circle_id));
    let completed = 0;
    for (const row of candidates) {
      const timezone = circles.get(row.circle_id)?.timezone;
      if (!timezone) continue;
      const today = localDate(now, timezone);
      const done = await this.tx.run(async (manager) => {
        const cycle = await this.cycles.find(manager, row.circle_id, row.cycle_id);
        if (cycle.status !== 'closed' && lastPayoutDate(termsOf(cycle)) >= today) return false;
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
