import { Injectable } from '@nestjs/common';
import { CircleAccess } from '../circles/circle-access.service.js';
import type { CircleContext } from '../circles/circle-context.js';
import { TransactionHost } from '../database/transaction-host.js';
import { termsOf } from './cycle-weeks.service.js';
import { CyclesService } from './cycles.service.js';
import type { CycleScheduleResponse } from './dto/cycle-schedule.response.js';
import { cycleSchedule, startOfLocalDay } from './schedule.js';
import type { WeekTotals, WeekTotalsSource } from './week-totals.js';

const NONE = { count: 0, amount: 0 };

/** A cycle's weeks with their payout dates in the circle's time zone and what each week stands at. */
@Injectable()
export class CycleScheduleService {
  private totalsSource: WeekTotalsSource | undefined;

  constructor(
    private readonly tx: TransactionHost,
    private readonly access: CircleAccess,
    private readonly cycles: CyclesService,
  ) {}

  /** The payouts module registers here at start-up (cycles may not import it). */
  useWeekTotals(source: WeekTotalsSource): void {
    this.totalsSource = source;
  }

  /** Members may read it: week totals are aggregates with no recipient in them. */
  async schedule(userId: string, circleId: string, cycleId: string): Promise<CycleScheduleResponse> {
    const ctx = await this.access.require(circleId, userId);
    return this.scheduleOf(ctx, cycleId);
  }

  /** The same schedule without an access check, for callers that made their own (coverage, reports). */
  async scheduleOf(ctx: Pick<CircleContext, 'circleId' | 'timezone' | 'currency'>, cycleId: string): Promise<CycleScheduleResponse> {
    const circleId = ctx.circleId;
    const manager = this.tx.manager;
    const cycle = await this.cycles.find(manager, circleId, cycleId);
    const totals: Map<number, WeekTotals> = this.totalsSource ? await this.totalsSource(manager, cycle.id) : new Map();
    // Weeks not generated yet are projected from the slots held now.
    const holders: { week: number; n: number }[] = await manager.query(
      `SELECT w AS week, count(a.id)::int AS n
         FROM generate_series($2::int + 1, $3::int) AS w
         LEFT JOIN slot_assignments a ON a.cycle_id = $1 AND a.from_week <= w AND (a.to_week IS NULL OR a.to_week >= w)
        GROUP BY w`,
      [cycle.id, cycle.generatedWeeks, cycle.weeks],
    );
    const projected = new Map(holders.map((h) => [h.week, h.n]));
    const amount = Number(cycle.amount);
    return {
      cycleId: cycle.id,
      timezone: ctx.timezone,
      currency: ctx.currency,
      weeks: cycleSchedule(termsOf(cycle)).map(({ week, payoutDate }) => {
        const generated = week <= cycle.generatedWeeks;
        const n = projected.get(week) ?? 0;
        const t = generated ? totals.get(week) : undefined;
        return {
          week,
          payoutDate,
          payoutDayStartsAt: startOfLocalDay(payoutDate, ctx.timezone).toISOString(),
          generated,
          due: generated ? (t?.due ?? NONE) : { count: n, amount: n * amount },
          approved: t?.approved ?? NONE,
          sent: t?.sent ?? NONE,
        };
      }),
    };
  }
}
