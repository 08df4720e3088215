import { Injectable } from '@nestjs/common';
import { CircleFactsService } from '../circles/circle-facts.service.js';
import { TransactionHost } from '../database/transaction-host.js';
import { localDate } from './local-date.js';
import { JOB_ACTOR, type Actor } from '../common/actor.js';
import type { PledgeStatus } from './pledge-status.js';
import { PledgeTransitions } from './pledge-transitions.service.js';
import { missedWeeks, statusForMissed } from './pledge-weeks.js';
import { Pledge } from './pledge.entity.js';

export interface MarkMissedResult {
  checked: number;
  pastDue: number;
  lapsed: number;
  current: number;
}

interface Standing {
  amount: string;
  anchor_on: string;
  received: string;
}

/**
 * Manual pledges fall behind when no money arrives for their weeks: `past_due` after one
 * missed week, `lapsed` after `missedWeeksForLapse`. Exported for the jobs module to run on
 * a schedule; the clock is a parameter so tests (and catch-up runs) choose "now".
 */
@Injectable()
export class PledgeLapse {
  constructor(
    private readonly tx: TransactionHost,
    private readonly transitions: PledgeTransitions,
    private readonly circles: CircleFactsService,
  ) {}

  async markMissed(now: Date, missedWeeksForLapse = 3): Promise<MarkMissedResult> {
    if (!Number.isInteger(missedWeeksForLapse) || missedWeeksForLapse < 1) throw new RangeError('missedWeeksForLapse must be a whole number ≥ 1');
    const candidates: { id: string; circle_id: string }[] = await this.tx.manager.query(
      `SELECT id, circle_id FROM pledges WHERE method = 'manual' AND status IN ('active', 'past_due') ORDER BY circle_id, id`,
    );
    // One read for every circle of the run: each pledge's weeks are counted in its circle's calendar.
    const circles = await this.circles.factsOf(candidates.map((c) => c.circle_id));
    const result: MarkMissedResult = { checked: 0, pastDue: 0, lapsed: 0, current: 0 };
    for (const { id, circle_id } of candidates) {
      // One transaction per pledge: never across circles, and one failure does not stop the run.
      const status = await this.tx.run(() => this.evaluate(id, now, missedWeeksForLapse, JOB_ACTOR, circles.get(circle_id)?.timezone));
      result.checked++;
      if (status === 'past_due') result.pastDue++;
      else if (status === 'lapsed') result.lapsed++;
      else result.current++;
    }
    return result;
  }

  /**
   * Re-evaluates one manual pledge when money arrived for it: a past_due pledge whose weeks
   * are now paid is active again. Never lapses anything (that is the job's call).
   */
  async recheck(pledgeId: string, now: Date, actor: Actor): Promise<void> {
    await this.tx.run(() => this.evaluate(pledgeId, now, Number.MAX_SAFE_INTEGER, actor, undefined, true));
  }

  /** `timezone` is the pledge's circle's when the caller has it already (the job reads them all at once). */
  private async evaluate(pledgeId: string, now: Date, missedWeeksForLapse: number, actor: Actor, timezone?: string, recoverOnly = false): Promise<PledgeStatus | null> {
    const pledge = await this.tx.manager.createQueryBuilder(Pledge, 'p').setLock('pessimistic_write').where('p.id = :pledgeId', { pledgeId }).getOne();
    if (!pledge || pledge.method !== 'manual' || (pledge.status !== 'active' && pledge.status !== 'past_due')) return pledge?.status ?? null;
    const today = localDate(now, timezone ?? (await this.circles.timezoneOf(pledge.circleId)));
    const rows: Standing[] = await this.tx.manager.query(
      `SELECT p.amount::text AS amount, p.anchor_on::text AS anchor_on,
              coalesce((SELECT sum(k.amount) FROM contributions k WHERE k.pledge_id = p.id), 0)::text AS received
         FROM pledges p
        WHERE p.id = $1`,
      [pledgeId],
    );
    const s = rows[0];
    const missed = missedWeeks({ anchorOn: s.anchor_on, today, amount: BigInt(s.amount), received: BigInt(s.received) });
    const target = statusForMissed(missed, missedWeeksForLapse);
    if (target === pledge.status || (recoverOnly && target !== 'active')) return pledge.status;
    return (await this.transitions.moveToward(pledge, target, actor, now)).status;
  }
}
