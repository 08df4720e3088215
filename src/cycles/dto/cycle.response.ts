import { ApiProperty } from '@nestjs/swagger';
import type { CycleStatus } from '../cycle-status.js';
import type { Cycle } from '../cycle.entity.js';
import { lastPayoutDate, firstPayoutDate } from '../schedule.js';

export class CycleResponse {
  id: string;
  circleId: string;
  /** `draft`, `active` (at most one per circle) or `closed`. */
  status: CycleStatus;
  @ApiProperty({ type: 'string', format: 'date', example: '2026-03-02' })
  startsOn: string;
  /** @example 15 */
  @ApiProperty({ type: 'integer' })
  weeks: number;
  /** Paid to each recipient each week, in minor units. @example 17500 */
  @ApiProperty({ type: 'integer', format: 'int64', example: 17500 })
  amount: number;
  /** @example "USD" */
  currency: string;
  /** @example 11 */
  @ApiProperty({ type: 'integer' })
  slots: number;
  /** Recipients holding a slot now. */
  @ApiProperty({ type: 'integer' })
  filledSlots: number;
  /** ISO weekday of the payout day: 1 = Monday … 7 = Sunday. @example 5 */
  @ApiProperty({ type: 'integer', minimum: 1, maximum: 7 })
  payoutWeekday: number;
  @ApiProperty({ type: 'string', format: 'date', example: '2026-03-06' })
  firstPayoutDate: string;
  @ApiProperty({ type: 'string', format: 'date', example: '2026-06-12' })
  lastPayoutDate: string;
  /** Weeks 1 to this number have had their payouts generated. */
  @ApiProperty({ type: 'integer' })
  generatedWeeks: number;
  createdAt: string;
  activatedAt: string | null;
  closedAt: string | null;
}

export class CyclePageResponse {
  items: CycleResponse[];
  nextCursor: string | null;
}

export function toCycleResponse(cycle: Cycle, currency: string, filledSlots: number): CycleResponse {
  const terms = { startsOn: cycle.startsOn, weeks: cycle.weeks, payoutWeekday: cycle.payoutWeekday };
  return {
    id: cycle.id,
    circleId: cycle.circleId,
    status: cycle.status,
    startsOn: cycle.startsOn,
    weeks: cycle.weeks,
    amount: Number(cycle.amount),
    currency,
    slots: cycle.slots,
    filledSlots,
    payoutWeekday: cycle.payoutWeekday,
    firstPayoutDate: firstPayoutDate(cycle.startsOn, cycle.payoutWeekday),
    lastPayoutDate: lastPayoutDate(terms),
    generatedWeeks: cycle.generatedWeeks,
    createdAt: cycle.createdAt.toISOString(),
    activatedAt: cycle.activatedAt?.toISOString() ?? null,
    closedAt: cycle.closedAt?.toISOString() ?? null,
  };
}
