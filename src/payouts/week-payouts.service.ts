import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { CircleAccess } from '../circles/circle-access.service.js';
import { CycleScheduleService } from '../cycles/cycle-schedule.service.js';
import { CycleWeeks } from '../cycles/cycle-weeks.service.js';
import { localDate, weeksDueBy } from '../cycles/schedule.js';
import type { WeekTotals } from '../cycles/week-totals.js';
import { TransactionHost } from '../database/transaction-host.js';
import { EventsService } from '../events/events.service.js';
import type { GeneratedWeekResponse } from './dto/generated-week.response.js';
import { toPayoutResponse } from './dto/payout.response.js';
import { payoutChange } from './payout-event.js';
import { Payout } from './payout.entity.js';

export interface PayoutDayResult {
  cycles: number;
  weeks: number;
  created: number;
  failed: number;
}

/**
 * Generates a week's payouts: one `scheduled` payout per recipient whose slot covers the
 * week. The endpoint and the payout-day job share `generate`, and the unique key
 * (cycle, recipient, week) makes any repeat — a retry, a second instance — create nothing.
 */
@Injectable()
export class WeekPayouts implements OnModuleInit {
  private readonly logger = new Logger('WeekPayouts');

  constructor(
    private readonly tx: TransactionHost,
    private readonly access: CircleAccess,
    private readonly weeks: CycleWeeks,
    private readonly schedules: CycleScheduleService,
    private readonly events: EventsService,
  ) {}

  onModuleInit(): void {
    this.schedules.useWeekTotals((manager, cycleId) => this.totalsByWeek(manager, cycleId));
  }

  /** The endpoint: organizers generate a week (in order; repeating one is harmless). */
  async generateForUser(userId: string, circleId: string, cycleId: string, week: number): Promise<GeneratedWeekResponse> {
    const ctx = await this.access.require(circleId, userId);
    return this.generate(circleId, cycleId, week, ctx.currency, userId);
  }

  async generate(circleId: string, cycleId: string, week: number, currency: string, actorUserId: string | null): Promise<GeneratedWeekResponse> {
    return this.tx.run(async (manager) => {
      const claimed = await this.weeks.claimWeek(manager, circleId, cycleId, week);
      // Invariant 5: ON CONFLICT on (cycle, recipient, week) — a payout that exists is never made twice.
      const created: { payout_id: string }[] = await manager.query(
        `WITH inserted AS (
           INSERT INTO payouts (id, circle_id, cycle_id, recipient_id, week, payout_date, amount, currency, status)
           SELECT gen_random_uuid(), $1, $2, r, $3, $4::date, $5::bigint, $6, 'scheduled' FROM unnest($7::uuid[]) AS r
           ON CONFLICT ON CONSTRAINT uq_payouts_cycle_recipient_week DO NOTHING
           RETURNING id, circle_id
         )
         INSERT INTO payout_history (circle_id, payout_id, from_status, to_status, actor, actor_user_id)
         SELECT circle_id, id, NULL, 'scheduled', CASE WHEN $8::uuid IS NULL THEN 'job' ELSE 'user' END, $8::uuid FROM inserted
         RETURNING payout_id`,
        [circleId, cycleId, week, claimed.payoutDate, claimed.cycle.amount, currency, claimed.recipientIds, actorUserId],
      );
      const payouts = await manager
        .createQueryBuilder(Payout, 'p')
        .where('p.cycle_id = :cycleId AND p.week = :week', { cycleId, week })
        .orderBy('p.created_at', 'ASC')
        .addOrderBy('p.id', 'ASC')
        .getMany();
      const createdIds = new Set(created.map((c) => c.payout_id));
      for (const payout of payouts) if (createdIds.has(payout.id)) await this.events.emit('payout.scheduled', circleId, payoutChange(payout, null, 'scheduled'));
      return { cycleId, week, payoutDate: claimed.payoutDate, created: created.length, payouts: payouts.map(toPayoutResponse) };
    });
  }

  /**
   * The payout-day job: for each active cycle, generates every week whose payout date has
   * come in the circle's time zone and is not generated yet (normally just today's; more
   * after downtime). One transaction per week; one failing cycle does not stop the others.
   */
  async generateDue(now: Date = new Date()): Promise<PayoutDayResult> {
    const result: PayoutDayResult = { cycles: 0, weeks: 0, created: 0, failed: 0 };
    for (const running of await this.weeks.runningCycles(this.tx.manager)) {
      const due = weeksDueBy(running.terms, localDate(now, running.timezone));
      if (due <= running.generatedWeeks) continue;
      result.cycles++;
      try {
        for (let week = running.generatedWeeks + 1; week <= due; week++) {
          const generated = await this.generate(running.circleId, running.cycleId, week, running.currency, null);
          result.weeks++;
          result.created += generated.created;
        }
      } catch (error) {
        result.failed++;
        // Ids only: nothing personal reaches the log (invariant 9).
        this.logger.error({ cycleId: running.cycleId, err: { type: (error as Error)?.name, message: (error as Error)?.message } }, 'payout-day generation failed');
      }
    }
    return result;
  }

  /** Per generated week: payouts due (not cancelled), approved or further, sent or acknowledged. */
  async totalsByWeek(manager: EntityManager, cycleId: string): Promise<Map<number, WeekTotals>> {
    const rows: { week: number; due_n: number; due_sum: string; approved_n: number; approved_sum: string; sent_n: number; sent_sum: string }[] = await manager.query(
      `SELECT week,
              count(*) FILTER (WHERE status <> 'cancelled')::int AS due_n,
              coalesce(sum(amount) FILTER (WHERE status <> 'cancelled'), 0)::text AS due_sum,
              count(*) FILTER (WHERE status IN ('approved', 'sent', 'acknowledged'))::int AS approved_n,
              coalesce(sum(amount) FILTER (WHERE status IN ('approved', 'sent', 'acknowledged')), 0)::text AS approved_sum,
              count(*) FILTER (WHERE status IN ('sent', 'acknowledged'))::int AS sent_n,
              coalesce(sum(amount) FILTER (WHERE status IN ('sent', 'acknowledged')), 0)::text AS sent_sum
         FROM payouts WHERE cycle_id = $1 GROUP BY week`,
      [cycleId],
    );
    return new Map(
      rows.map((r) => [
        r.week,
        {
          due: { count: r.due_n, amount: Number(r.due_sum) },
          approved: { count: r.approved_n, amount: Number(r.approved_sum) },
          sent: { count: r.sent_n, amount: Number(r.sent_sum) },
        },
      ]),
    );
  }
}
