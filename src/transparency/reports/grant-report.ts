// The requests-and-grants report of a period (pure): how many asked, for what, how much was
// asked and granted, how fast decisions and payments came, why requests were declined and
// how they arrived. Small counts are suppressed as in the cycle report (small-counts.ts).
import { DECLINE_REASONS, GRANT_CATEGORIES, REQUEST_KINDS, REQUEST_SOURCES, type DeclineReason, type GrantCategory, type RequestKind, type RequestSource } from '../../requests/request-status.js';
import type { RequestFigures } from '../../requests/requests.service.js';
import { medianDays } from './median.js';
import { reportCount, reportCounts, SMALL_COUNT_THRESHOLD, type ReportCount } from './small-counts.js';

export interface GrantReport {
  requests: ReportCount;
  byKind: Record<RequestKind, ReportCount>;
  grantsByCategory: Record<GrantCategory, ReportCount>;
  /** Minor units asked by the period's grant requests; null (not shown) when fewer than 3 asked, for all but organizers. */
  amountAsked: bigint | null;
  /** Minor units granted to them (approved, paid or acknowledged); null as above when fewer than 3 were granted. */
  amountGranted: bigint | null;
  grantsApproved: ReportCount;
  grantsPaid: ReportCount;
  /** From asking to approval or decline; null when fewer than 3 were decided (for all but organizers) or none. */
  medianDaysToDecision: number | null;
  /** From asking to the money going out; null when fewer than 3 were paid (for all but organizers) or none. */
  medianDaysToPayment: number | null;
  declineReasons: Record<DeclineReason, ReportCount>;
  bySource: Record<RequestSource, ReportCount>;
}

const PAID = new Set(['paid', 'acknowledged']);
const GRANTED = new Set(['approved', 'paid', 'acknowledged']);

const countBy = <K extends string>(keys: readonly K[], values: readonly (K | null)[]): Record<K, number> => {
  const counts = Object.fromEntries(keys.map((k) => [k, 0])) as Record<K, number>;
  for (const v of values) if (v !== null) counts[v]++;
  return counts;
};

const sum = (values: readonly bigint[]): bigint => values.reduce((a, b) => a + b, 0n);

/** `exact`: the reader sees exact counts (organizers). Returned (money) and withdrawn requests count as asked, not granted. */
export function grantReport(requests: readonly RequestFigures[], exact: boolean): GrantReport {
  const grants = requests.filter((r) => r.kind === 'grant');
  const granted = grants.filter((r) => GRANTED.has(r.status));
  const paid = grants.filter((r) => PAID.has(r.status) && r.sentAt);
  const decided = requests.filter((r) => r.decidedAt && (r.status !== 'withdrawn'));
  const shows = (n: number) => exact || n >= SMALL_COUNT_THRESHOLD;
  return {
    requests: reportCount(requests.length, exact),
    byKind: reportCounts(countBy(REQUEST_KINDS, requests.map((r) => r.kind)), exact),
    grantsByCategory: reportCounts(countBy(GRANT_CATEGORIES, grants.map((r) => r.category)), exact),
    amountAsked: shows(grants.length) ? sum(grants.map((r) => r.amountAsked ?? 0n)) : null,
    amountGranted: shows(granted.length) ? sum(granted.map((r) => r.amountGranted ?? 0n)) : null,
    grantsApproved: reportCount(granted.length, exact),
    grantsPaid: reportCount(paid.length, exact),
    medianDaysToDecision: shows(decided.length) ? medianDays(decided.map((r) => r.decidedAt!.getTime() - r.createdAt.getTime())) : null,
    medianDaysToPayment: shows(paid.length) ? medianDays(paid.map((r) => r.sentAt!.getTime() - r.createdAt.getTime())) : null,
    declineReasons: reportCounts(countBy(DECLINE_REASONS, requests.map((r) => r.declineReason)), exact),
    bySource: reportCounts(countBy(REQUEST_SOURCES, requests.map((r) => r.source)), exact),
  };
}
