import { ApiProperty } from '@nestjs/swagger';
import { toJsonAmount } from '../../ledger/ledger-amount.js';
import type { Coverage, CoverageWeek } from '../coverage.js';

const money = (description: string, nullable = false) => ApiProperty({ type: 'integer', format: 'int64', nullable, description, example: 192500 });
const ratio = (description: string) => ApiProperty({ type: String, nullable: true, pattern: '^\\d+\\.\\d{4}$', example: '1.2500', description });
const weeks = (description: string) => ApiProperty({ type: 'integer', nullable: true, description, example: 3 });

export class CoverageWeekResponse {
  /** 1-based week of the cycle. */
  week: number;
  @ApiProperty({ type: 'string', format: 'date' })
  payoutDate: string;
  @money('Sum of the weekly pledges standing (active or behind on payment) at the end of the payout day.')
  pledged: number;
  @money('Due to recipients this week (recipients × weekly amount).')
  due: number;
  @money('Net contributions received in the 7 days ending on the payout date.')
  received: number;
  @money('Payouts of this week sent so far.')
  paidOut: number;
  @money('Pool balance at the end of the payout day; null for a week not over yet.', true)
  poolBalance: number | null;
  @ratio('pledged ÷ due, 4 decimal places; null when nothing is due.')
  coverageRatio: string | null;
  @weeks('Whole weeks of this week\'s due the pool held at the week\'s end.')
  weeksFundedAhead: number | null;
}

export class CycleCoverageResponse {
  cycleId: string;
  /** @example "USD" */
  currency: string;
  /** When the figures were computed. */
  asOf: string;
  @money('The pool now.')
  poolBalance: number;
  @money('Of the pool, what grants approved and not yet paid hold back (the same figure as GET …/grant-funds).')
  reservedForGrants: number;
  @money('poolBalance − reservedForGrants: what the pool can still promise; negative when payouts drew it below the reservations.')
  available: number;
  @money('Weekly pledges standing now.')
  pledgedPerWeek: number;
  @money('Due in the next payout week not yet past; 0 once the cycle has ended.')
  duePerWeek: number;
  @ratio('pledgedPerWeek ÷ duePerWeek; null when nothing is due.')
  coverageRatio: string | null;
  @weeks('Whole weeks the available money (the pool less grants approved and not yet paid) pays at the current due; null when nothing is due.')
  weeksFundedAhead: number | null;
  weeks: CoverageWeekResponse[];
}

function toWeek(w: CoverageWeek): CoverageWeekResponse {
  return {
    week: w.week,
    payoutDate: w.payoutDate,
    pledged: toJsonAmount(w.pledged),
    due: toJsonAmount(w.due),
    received: toJsonAmount(w.received),
    paidOut: toJsonAmount(w.paidOut),
    poolBalance: w.poolAtWeekEnd === null ? null : toJsonAmount(w.poolAtWeekEnd),
    coverageRatio: w.coverageRatio,
    weeksFundedAhead: w.weeksFundedAhead,
  };
}

export function toCycleCoverageResponse(cycleId: string, currency: string, asOf: Date, c: Coverage): CycleCoverageResponse {
  return {
    cycleId,
    currency,
    asOf: asOf.toISOString(),
    poolBalance: toJsonAmount(c.poolNow),
    reservedForGrants: toJsonAmount(c.reservedNow),
    available: toJsonAmount(c.availableNow),
    pledgedPerWeek: toJsonAmount(c.pledgedNow),
    duePerWeek: toJsonAmount(c.dueNow),
    coverageRatio: c.coverageRatioNow,
    weeksFundedAhead: c.weeksFundedAheadNow,
    weeks: c.weeks.map(toWeek),
  };
}
