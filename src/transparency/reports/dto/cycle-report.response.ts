import { ApiProperty } from '@nestjs/swagger';
import type { CycleStatus } from '../../../cycles/cycle-status.js';
import { toJsonAmount } from '../../../ledger/ledger-amount.js';
import type { Coverage } from '../../../pledges/coverage.js';
import type { ExitReason } from '../../../roster/recipient-status.js';
import { medianDays } from '../median.js';
import { reportCount, reportCounts, SMALL_COUNT, type ReportCount } from '../small-counts.js';

const count = (description: string) =>
  ApiProperty({ oneOf: [{ type: 'integer', minimum: 0 }, { type: 'string', enum: [SMALL_COUNT] }], description: `${description} Below 3 it reads "<3" unless you are an organizer.`, example: 11 });
const money = (description: string, nullable = false) => ApiProperty({ type: 'integer', format: 'int64', nullable, description, example: 192500 });
const ratio = (description: string) => ApiProperty({ type: String, nullable: true, pattern: '^\\d+\\.\\d{4}$', example: '1.0390', description });
const weeks = (description: string) => ApiProperty({ type: 'integer', nullable: true, description, example: 1 });

export class ReportWeekResponse {
  /** 1-based week of the cycle. */
  @ApiProperty({ type: 'integer' })
  week: number;
  @ApiProperty({ type: 'string', format: 'date', example: '2026-03-06' })
  payoutDate: string;
  /** Whether the payout day is over (in the circle's time zone); until then the week's closing figures are null. */
  ended: boolean;
  @money('Money in: net contributions received in the 7 days ending on the payout date.')
  moneyIn: number;
  @money("Money out: this week's payouts sent (returned ones not).")
  moneyOut: number;
  @money("The pool's balance in the ledger at the end of the payout day; null until then.", true)
  poolBalance: number | null;
  @money('Weekly pledges standing (active or behind on payment) at the end of the payout day.')
  pledged: number;
  @money("Due to recipients this week: this week's payouts, or for a week not generated yet the slots held now × the weekly amount.")
  due: number;
  @ratio('pledged ÷ due, 4 decimal places; null when nothing is due.')
  coverageRatio: string | null;
  @weeks("Whole weeks of this week's due the pool held at the end of the payout day; null until then, or when nothing is due.")
  weeksFundedAhead: number | null;
  @count('Donors with money received in the 7 days ending on the payout date.')
  donorsActive: ReportCount;
  @count('Of the donors active in week 1, how many were active this week.')
  donorsStayedFromFirstWeek: ReportCount;
}

export class ExitsByReasonResponse {
  @count('Left the roster because they found work.')
  employed: ReportCount;
  @count('Moved away.')
  moved: ReportCount;
  @count('Withdrew themselves.')
  self_withdrew: ReportCount;
  @count('Could not be reached.')
  no_response: ReportCount;
  @count('Any other reason.')
  other: ReportCount;
}

export class WaitlistReportResponse {
  @count('Recipients the median is taken over: those the cycle has paid.')
  recipients: ReportCount;
  /** Median days between a recipient being added to the waitlist and first becoming active, one decimal place; null when there is no one to take it over, or when fewer than 3 and you are not an organizer. @example 12.5 */
  @ApiProperty({ type: 'number', nullable: true, example: 12.5 })
  medianDays: number | null;
}

export class DonorRetentionResponse {
  @count('Donors active in week 1.')
  firstWeekDonors: ReportCount;
  /** The latest week whose payout day has come, at which retention is measured; null before week 1's. */
  @ApiProperty({ type: 'integer', nullable: true, example: 6 })
  throughWeek: number | null;
  @count('Of the donors active in week 1, how many were active in `throughWeek`.')
  stayed: ReportCount;
}

export class CycleReportResponse {
  circleId: string;
  cycleId: string;
  /** `draft`, `active` or `closed`. */
  status: CycleStatus;
  /** @example "USD" */
  currency: string;
  @ApiProperty({ type: 'string', format: 'date', example: '2026-03-02' })
  startsOn: string;
  /** Paid to each recipient each week, in minor units. @example 17500 */
  @ApiProperty({ type: 'integer', format: 'int64', example: 17500 })
  amount: number;
  /** @example 11 */
  @ApiProperty({ type: 'integer' })
  slots: number;
  /** When the figures were computed. */
  asOf: string;
  /** True when counts below 3 read "<3": for everyone but organizers. */
  smallCountsSuppressed: boolean;
  @money('The pool now.')
  poolBalance: number;
  @money('Weekly pledges standing now.')
  pledgedPerWeek: number;
  @money('Due in the next payout week not yet past; 0 once the cycle has ended.')
  duePerWeek: number;
  @ratio('pledgedPerWeek ÷ duePerWeek; null when nothing is due.')
  coverageRatio: string | null;
  @weeks('Whole weeks the pool pays now at the current due; null when nothing is due.')
  weeksFundedAhead: number | null;
  @count('Recipients the cycle has paid at least once.')
  recipientsServed: ReportCount;
  @count('Payouts sent (or acknowledged), not counting returned ones.')
  payoutsSent: ReportCount;
  @count('Payouts the recipient confirmed receiving.')
  payoutsAcknowledged: ReportCount;
  /** Exits recorded while the cycle was active. */
  exitsByReason: ExitsByReasonResponse;
  waitlist: WaitlistReportResponse;
  donorRetention: DonorRetentionResponse;
  /** Every week of the cycle. */
  weeks: ReportWeekResponse[];
}

/** What the report is made of, unsuppressed; only the mapper decides what a viewer sees. */
export interface CycleReportFacts {
  circleId: string;
  currency: string;
  cycle: { id: string; status: CycleStatus; startsOn: string; amount: bigint; slots: number };
  asOf: Date;
  /** Today in the circle's time zone. */
  today: string;
  coverage: Coverage;
  donorsByWeek: { active: number; stayedFromFirst: number }[];
  payouts: { sent: number; acknowledged: number; recipientsPaid: number };
  exits: Record<ExitReason, number>;
  waitsMs: number[];
}

export function toCycleReportResponse(facts: CycleReportFacts, exact: boolean): CycleReportResponse {
  const { coverage, donorsByWeek } = facts;
  const c = (n: number) => reportCount(n, exact);
  const weeksCome = coverage.weeks.filter((w) => w.payoutDate <= facts.today).length;
  // A median over one or two people is their own waiting time: suppressed like their count.
  const showMedian = exact || facts.waitsMs.length >= 3;
  return {
    circleId: facts.circleId,
    cycleId: facts.cycle.id,
    status: facts.cycle.status,
    currency: facts.currency,
    startsOn: facts.cycle.startsOn,
    amount: toJsonAmount(facts.cycle.amount),
    slots: facts.cycle.slots,
    asOf: facts.asOf.toISOString(),
    smallCountsSuppressed: !exact,
    poolBalance: toJsonAmount(coverage.poolNow),
    pledgedPerWeek: toJsonAmount(coverage.pledgedNow),
    duePerWeek: toJsonAmount(coverage.dueNow),
    coverageRatio: coverage.coverageRatioNow,
    weeksFundedAhead: coverage.weeksFundedAheadNow,
    recipientsServed: c(facts.payouts.recipientsPaid),
    payoutsSent: c(facts.payouts.sent),
    payoutsAcknowledged: c(facts.payouts.acknowledged),
    exitsByReason: reportCounts(facts.exits, exact),
    waitlist: { recipients: c(facts.waitsMs.length), medianDays: showMedian ? medianDays(facts.waitsMs) : null },
    donorRetention: {
      firstWeekDonors: c(donorsByWeek[0]?.active ?? 0),
      throughWeek: weeksCome > 0 ? weeksCome : null,
      stayed: c(weeksCome > 0 ? donorsByWeek[weeksCome - 1].stayedFromFirst : 0),
    },
    weeks: coverage.weeks.map((w, i) => ({
      week: w.week,
      payoutDate: w.payoutDate,
      ended: w.poolAtWeekEnd !== null,
      moneyIn: toJsonAmount(w.received),
      moneyOut: toJsonAmount(w.paidOut),
      poolBalance: w.poolAtWeekEnd === null ? null : toJsonAmount(w.poolAtWeekEnd),
      pledged: toJsonAmount(w.pledged),
      due: toJsonAmount(w.due),
      coverageRatio: w.coverageRatio,
      weeksFundedAhead: w.weeksFundedAhead,
      donorsActive: c(donorsByWeek[i].active),
      donorsStayedFromFirstWeek: c(donorsByWeek[i].stayedFromFirst),
    })),
  };
}
