import { Injectable } from '@nestjs/common';
import { CircleAccess } from '../circles/circle-access.service.js';
import type { CircleContext } from '../circles/circle-context.js';
import { CycleScheduleService } from '../cycles/cycle-schedule.service.js';
import { TransactionHost } from '../database/transaction-host.js';
import { LedgerService } from '../ledger/ledger.service.js';
import { computeCoverage, currentDue, type Coverage, type CoverageWeekInput } from './coverage.js';
import { toCycleCoverageResponse, type CycleCoverageResponse } from './dto/coverage.response.js';
import { addDays, localDate, startOfLocalDay } from './local-date.js';
import { PLEDGING_STATUSES } from './pledge-status.js';

const MAX_UUID = 'ffffffff-ffff-ffff-ffff-ffffffffffff';

/**
 * Whether a cycle is funded, week by week. Due and paid-out come from the cycle's schedule,
 * pool balances from the ledger; pledges and contributions are this module's own.
 */
@Injectable()
export class CoverageService {
  constructor(
    private readonly tx: TransactionHost,
    private readonly access: CircleAccess,
    private readonly schedules: CycleScheduleService,
    private readonly ledger: LedgerService,
  ) {}

  /** Members may read it: totals only, no donor and no recipient in it. */
  async cycleCoverage(userId: string, circleId: string, cycleId: string, now: Date = new Date()): Promise<CycleCoverageResponse> {
    const ctx = await this.access.require(circleId, userId);
    return toCycleCoverageResponse(cycleId, ctx.currency, now, await this.coverageOf(ctx, cycleId, now));
  }

  /** The same figures without an access check, for callers that made their own (reports). */
  async coverageOf(ctx: Pick<CircleContext, 'circleId' | 'timezone' | 'currency'>, cycleId: string, now: Date = new Date()): Promise<Coverage> {
    const circleId = ctx.circleId;
    const schedule = await this.schedules.scheduleOf(ctx, cycleId);
    const today = localDate(now, ctx.timezone);
    // A week ends when its payout day does, in the circle's time zone.
    const weekEnds = schedule.weeks.map((w) => startOfLocalDay(addDays(w.payoutDate, 1), ctx.timezone));
    const pledged = await this.pledgedAt(circleId, cycleId, [...weekEnds, now]);
    const received = await this.receivedIn(circleId, schedule.weeks.map((w) => w.payoutDate));
    const weeks: CoverageWeekInput[] = [];
    for (const [i, w] of schedule.weeks.entries()) {
      weeks.push({
        week: w.week,
        payoutDate: w.payoutDate,
        pledged: pledged[i],
        due: BigInt(w.due.amount),
        received: received[i],
        paidOut: BigInt(w.sent.amount),
        poolAtWeekEnd: weekEnds[i] <= now ? await this.poolAt(circleId, weekEnds[i]) : null,
      });
    }
    const poolNow = (await this.ledger.balances(circleId)).find((a) => a.kind === 'pool')?.balance ?? 0n;
    const reservedNow = await this.reservedForGrants(circleId);
    return computeCoverage({ weeks, poolNow, reservedNow, pledgedNow: pledged[weekEnds.length], dueNow: currentDue(weeks, today) });
  }

  /**
   * What approved, unpaid grants hold back from the pool, by the same SQL function the
   * approval guard uses (migration 1790000001420), so coverage and approvals count the pool once.
   */
  private async reservedForGrants(circleId: string): Promise<bigint> {
    const [row] = (await this.tx.manager.query('SELECT grant_reserved($1)::text AS reserved', [circleId])) as { reserved: string }[];
    return BigInt(row.reserved);
  }

  /**
   * For reports: per payout date, how many donors had money received in the 7 days ending
   * on it, and how many of those had also given in the first of them. Counts only: donor
   * ids never leave this module. One-off gifts without a pledge name no donor.
   */
  async donorsByWeek(circleId: string, payoutDates: string[]): Promise<{ active: number; stayedFromFirst: number }[]> {
    const rows: { i: string; active: number; stayed: number }[] = await this.tx.manager.query(
      `WITH w AS (SELECT d, i FROM unnest($2::date[]) WITH ORDINALITY AS w(d, i)),
            active AS (
              SELECT DISTINCT w.i, c.donor_user_id
                FROM w JOIN contributions c
                  ON c.circle_id = $1 AND c.status = 'posted' AND c.donor_user_id IS NOT NULL AND c.received_on BETWEEN w.d - 6 AND w.d)
       SELECT w.i, count(a.donor_user_id)::int AS active, count(f.donor_user_id)::int AS stayed
         FROM w
         LEFT JOIN active a ON a.i = w.i
         LEFT JOIN active f ON f.i = 1 AND f.donor_user_id = a.donor_user_id
        GROUP BY w.i ORDER BY w.i`,
      [circleId, payoutDates],
    );
    return rows.map((r) => ({ active: r.active, stayedFromFirst: r.stayed }));
  }

  /** For each instant, the weekly amounts of the circle's pledges (ongoing or of this cycle) standing then, from their history. */
  private async pledgedAt(circleId: string, cycleId: string, instants: Date[]): Promise<bigint[]> {
    const rows: { i: string; pledged: string }[] = await this.tx.manager.query(
      `SELECT w.i, coalesce(sum(p.amount), 0)::text AS pledged
         FROM unnest($3::timestamptz[]) WITH ORDINALITY AS w(t, i)
         LEFT JOIN pledges p
           ON p.circle_id = $1 AND (p.cycle_id IS NULL OR p.cycle_id = $2)
          AND (SELECT h.to_status FROM pledge_history h
                WHERE h.pledge_id = p.id AND h.at < w.t
                ORDER BY h.at DESC, h.id DESC LIMIT 1) = ANY($4::text[])
        GROUP BY w.i ORDER BY w.i`,
      [circleId, cycleId, instants.map((t) => t.toISOString()), PLEDGING_STATUSES],
    );
    return rows.map((r) => BigInt(r.pledged));
  }

  /** Net posted contributions received in the 7 days ending on each payout date. */
  private async receivedIn(circleId: string, payoutDates: string[]): Promise<bigint[]> {
    const rows: { i: string; received: string }[] = await this.tx.manager.query(
      `SELECT w.i, coalesce(sum(c.amount - c.fee), 0)::text AS received
         FROM unnest($2::date[]) WITH ORDINALITY AS w(d, i)
         LEFT JOIN contributions c
           ON c.circle_id = $1 AND c.status = 'posted' AND c.received_on BETWEEN w.d - 6 AND w.d
        GROUP BY w.i ORDER BY w.i`,
      [circleId, payoutDates],
    );
    return rows.map((r) => BigInt(r.received));
  }

  /**
   * The pool at an instant: the balance after the last pool entry posted before it, read
   * through the ledger's public methods (each entry records its account's balance after it).
   */
  private async poolAt(circleId: string, at: Date): Promise<bigint> {
    let after = { createdAt: at.toISOString(), id: MAX_UUID };
    for (;;) {
      const page = await this.ledger.transfers(circleId, 20, after);
      for (const summary of page) {
        const found = await this.ledger.transfer(circleId, summary.id);
        const entry = found?.transfer.entries.find((e) => e.account === 'pool');
        if (entry) return entry.balanceAfter;
      }
      if (page.length < 20) return 0n;
      const last = page[page.length - 1];
      after = { createdAt: last.cursorKey, id: last.id };
    }
  }
}
