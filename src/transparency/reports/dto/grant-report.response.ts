import { ApiProperty } from '@nestjs/swagger';
import { toJsonAmount } from '../../../ledger/ledger-amount.js';
import type { DeclineReason, GrantCategory, RequestKind, RequestSource } from '../../../requests/request-status.js';
import type { GrantReport } from '../grant-report.js';
import { SMALL_COUNT, type ReportCount } from '../small-counts.js';

const COUNT = { oneOf: [{ type: 'integer', minimum: 0 }, { type: 'string', enum: [SMALL_COUNT] }] };
const count = (description: string) => ApiProperty({ ...COUNT, description: `${description} Below 3 it reads "<3" unless you are an organizer.`, example: 4 });
const counts = (description: string, keys: string) =>
  ApiProperty({ type: 'object', additionalProperties: COUNT, description: `${description} (keys: ${keys}). Each below 3 reads "<3" unless you are an organizer.` });
const amount = (description: string) => ApiProperty({ type: 'integer', format: 'int64', nullable: true, description, example: 40000 });
const days = (description: string) => ApiProperty({ type: 'number', nullable: true, description, example: 2.5 });

/**
 * Requests for help and grants in a period (a calendar month or a cycle's weeks): counts,
 * amounts and medians only — no request, alias, requester or referrer.
 */
export class GrantReportResponse {
  circleId: string;
  /** @example "USD" */
  currency: string;
  /** The period: its first instant, inclusive. */
  from: string;
  /** The period's end, exclusive. */
  to: string;
  /** `month` (YYYY-MM in the circle's time zone) or `cycle`. */
  @ApiProperty({ enum: ['month', 'cycle'] })
  period: 'month' | 'cycle';
  /** Whether counts below 3 read "<3" in this answer. */
  smallCountsSuppressed: boolean;
  @count('Requests opened in the period.')
  requests: ReportCount;
  @counts('Requests by kind', 'grant, roster')
  byKind: Record<RequestKind, ReportCount>;
  @counts('Grant requests by category', 'rent, medical, food, utilities, transport, childcare, other')
  grantsByCategory: Record<GrantCategory, ReportCount>;
  @amount('Minor units asked by the grant requests; null when fewer than 3 asked (unless you are an organizer).')
  amountAsked: number | null;
  @amount('Minor units granted to them (approved, paid or acknowledged); null when fewer than 3 were granted (unless you are an organizer).')
  amountGranted: number | null;
  @count('Grants approved (and not cancelled or returned).')
  grantsApproved: ReportCount;
  @count('Grants paid.')
  grantsPaid: ReportCount;
  @days('Median days from asking to approval or decline; null when fewer than 3 (unless you are an organizer) or none.')
  medianDaysToDecision: number | null;
  @days('Median days from asking to the money going out; null when fewer than 3 (unless you are an organizer) or none.')
  medianDaysToPayment: number | null;
  @counts('Declined requests by reason', 'over_budget, out_of_scope, duplicate, no_response, not_eligible, other')
  declineReasons: Record<DeclineReason, ReportCount>;
  @counts('How requests arrived: a member\'s referral, an organizer, or the person through an intake link', 'referral, organizer, intake')
  bySource: Record<RequestSource, ReportCount>;
}

export function toGrantReportResponse(head: Pick<GrantReportResponse, 'circleId' | 'currency' | 'from' | 'to' | 'period' | 'smallCountsSuppressed'>, report: GrantReport): GrantReportResponse {
  return {
    ...head,
    ...report,
    amountAsked: report.amountAsked === null ? null : toJsonAmount(report.amountAsked),
    amountGranted: report.amountGranted === null ? null : toJsonAmount(report.amountGranted),
  };
}
