import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { CircleFactsService } from '../circles/circle-facts.service.js';
import { DomainError } from '../common/errors/domain-error.js';
import { Cycle } from './cycle.entity.js';
import { payoutDate, type CycleTerms } from './schedule.js';
import { SlotAssignments } from './slot-assignments.service.js';

export interface ClaimedWeek {
  cycle: Cycle;
  week: number;
  payoutDate: string;
  /** Recipients whose slot covers the week, in slot order. */
  recipientIds: string[];
}

export interface RunningCycle {
  circleId: string;
  cycleId: string;
  timezone: string;
  currency: string;
  terms: CycleTerms;
  generatedWeeks: number;
}

export const termsOf = (cycle: Cycle): CycleTerms => ({ startsOn: cycle.startsOn, weeks: cycle.weeks, payoutWeekday: cycle.payoutWeekday });

/** The week-by-week side of cycles that payouts and the payout-day job build on. No access checks: callers check first. */
@Injectable()
export class CycleWeeks {
  constructor(
    private readonly slots: SlotAssignments,
    private readonly circles: CircleFactsService,
  ) {}

  /**
   * Locks the cycle and marks `week` generated, returning who is paid for it. Weeks are
   * generated in order; a week generated already is returned again (same recipients), so
   * the caller's insert can simply skip what exists. Must run inside a transaction.
   */
  async claimWeek(manager: EntityManager, circleId: string, cycleId: string, week: number): Promise<ClaimedWeek> {
    const cycle = await manager
      .createQueryBuilder(Cycle, 'c')
      .setLock('pessimistic_write')
      .where('c.id = :cycleId AND c.circle_id = :circleId', { cycleId, circleId })
      .getOne();
    if (!cycle) throw DomainError.notFound('cycle');
    if (!Number.isInteger(week) || week < 1 || week > cycle.weeks) throw DomainError.notFound('week');
    if (cycle.status !== 'active') {
      throw new DomainError('invalid-state', `The cycle is ${cycle.status}: payouts are generated only for the active cycle.`, { state: cycle.status });
    }
    if (week > cycle.generatedWeeks + 1) {
      throw new DomainError('invalid-state', `Weeks are generated in order: generate week ${cycle.generatedWeeks + 1} first.`);
    }
    if (week === cycle.generatedWeeks + 1) {
      await manager.update(Cycle, { id: cycle.id }, { generatedWeeks: week });
      cycle.generatedWeeks = week;
    }
    const recipientIds = await this.slots.recipientsForWeek(manager, cycle.id, week);
    return { cycle, week, payoutDate: payoutDate(termsOf(cycle), week), recipientIds };
  }

  /** Every active cycle on the platform with its circle's time zone: the payout-day job's work list. */
  async runningCycles(manager: EntityManager): Promise<RunningCycle[]> {
    const rows: { id: string; circle_id: string; starts_on: string; weeks: number; payout_weekday: number; generated_weeks: number }[] = await manager.query(
      `SELECT id, circle_id, starts_on::text AS starts_on, weeks, payout_weekday, generated_weeks
         FROM cycles
        WHERE status = 'active' AND generated_weeks < weeks
        ORDER BY id`,
    );
    // The circle's time zone is read on every run: it may change, and payout days follow it.
    const circles = await this.circles.factsOf(rows.map((r) => r.circle_id));
    return rows.flatMap((r) => {
      const circle = circles.get(r.circle_id);
      if (!circle) return [];
      return [
        {
          circleId: r.circle_id,
          cycleId: r.id,
          timezone: circle.timezone,
          currency: circle.currency,
          terms: { startsOn: r.starts_on, weeks: r.weeks, payoutWeekday: r.payout_weekday },
          generatedWeeks: r.generated_weeks,
        },
      ];
    });
  }
}
