import { ApiProperty } from '@nestjs/swagger';

export class CountAndAmountResponse {
  /** Number of payouts. */
  @ApiProperty({ type: 'integer' })
  count: number;
  /** Their sum in minor units. */
  @ApiProperty({ type: 'integer', format: 'int64', example: 192500 })
  amount: number;
}

export class ScheduleWeekResponse {
  /** 1-based week number within the cycle. */
  @ApiProperty({ type: 'integer' })
  week: number;
  /** The payout day, a date in the circle's time zone. */
  @ApiProperty({ type: 'string', format: 'date', example: '2026-03-06' })
  payoutDate: string;
  /** The instant the payout day begins in the circle's time zone (local midnight). */
  payoutDayStartsAt: string;
  /** Whether this week's payouts have been generated. */
  generated: boolean;
  /** Generated week: its payouts that are not cancelled. Week not yet generated: the recipients holding a slot for it now × the weekly amount. */
  due: CountAndAmountResponse;
  /** Payouts approved, sent or acknowledged. */
  approved: CountAndAmountResponse;
  /** Payouts sent or acknowledged (returned money is not counted). */
  sent: CountAndAmountResponse;
}

export class CycleScheduleResponse {
  cycleId: string;
  /** IANA time zone of the circle, in which payout dates are given. @example "America/New_York" */
  timezone: string;
  /** @example "USD" */
  currency: string;
  weeks: ScheduleWeekResponse[];
}
