import type { Moves } from '../common/state-machine.js';

/**
 * A request for help and its states (docs/grants.md):
 * submitted → in_review → approved → paid → acknowledged; submitted | in_review → declined |
 * withdrawn | expired (no activity for the circle's retention period, by the request-expiry job);
 * approved → cancelled; paid | acknowledged → returned (the money came back: the
 * posting is reversed). A roster request ends at `approved`: the person is then a waitlisted
 * recipient and the roster takes over.
 */
export const REQUEST_STATUSES = ['submitted', 'in_review', 'approved', 'paid', 'acknowledged', 'declined', 'withdrawn', 'cancelled', 'returned', 'expired'] as const;
export type RequestStatus = (typeof REQUEST_STATUSES)[number];

/** A one-off grant, or a place on the roster (the weekly support). */
export const REQUEST_KINDS = ['grant', 'roster'] as const;
export type RequestKind = (typeof REQUEST_KINDS)[number];

/** What a grant is for: a fixed list, never free text, so it can be published on receipts and counted in reports. */
export const GRANT_CATEGORIES = ['rent', 'medical', 'food', 'utilities', 'transport', 'childcare', 'other'] as const;
export type GrantCategory = (typeof GRANT_CATEGORIES)[number];

/** Why a request was declined: a closed list, so no personal detail reaches the history or reports (invariant 9). */
export const DECLINE_REASONS = ['over_budget', 'out_of_scope', 'duplicate', 'no_response', 'not_eligible', 'other'] as const;
export type DeclineReason = (typeof DECLINE_REASONS)[number];

/** How a request arrived: a member's referral, an organizer, or the person through an intake link. */
export const REQUEST_SOURCES = ['referral', 'organizer', 'intake'] as const;
export type RequestSource = (typeof REQUEST_SOURCES)[number];

export type RequestTransition = 'review' | 'approve' | 'decline' | 'withdraw' | 'expire' | 'cancel' | 'pay' | 'acknowledge' | 'return';

/** The states each transition may start from, and where it leads. The database checks the same pairs (migrations 1790000001400 and 1790000001430). */
export const REQUEST_TRANSITIONS = {
  review: { from: ['submitted'], to: 'in_review' },
  approve: { from: ['submitted', 'in_review'], to: 'approved' },
  decline: { from: ['submitted', 'in_review'], to: 'declined' },
  withdraw: { from: ['submitted', 'in_review'], to: 'withdrawn' },
  expire: { from: ['submitted', 'in_review'], to: 'expired' },
  cancel: { from: ['approved'], to: 'cancelled' },
  pay: { from: ['approved'], to: 'paid' },
  acknowledge: { from: ['paid'], to: 'acknowledged' },
  return: { from: ['paid', 'acknowledged'], to: 'returned' },
} as const satisfies Moves<RequestTransition, RequestStatus>;

/** States in which nothing more happens to the request; its vault fields then wait for the retention purge. */
export const CLOSED_STATUSES: readonly RequestStatus[] = ['declined', 'withdrawn', 'cancelled', 'paid', 'acknowledged', 'returned', 'expired'];

/** Undecided: what the circle may still act on, and what expires after the circle's retention without activity. */
export const OPEN_STATUSES: readonly RequestStatus[] = ['submitted', 'in_review'];

/** A circle's retention for undecided requests, in days without activity: default and bounds (migration 1790000001430). */
export const UNDECIDED_RETENTION_DAYS = { default: 90, min: 14, max: 365 } as const;

/** What a request_history row records besides status changes. Never free text (invariant 9). */
export const REQUEST_HISTORY_EVENTS = ['status_change', 'first_approval', 'send_requested', 'link_issued', 'link_revoked', 'private_updated', 'private_erased', 'attachment_added'] as const;
export type RequestHistoryEvent = (typeof REQUEST_HISTORY_EVENTS)[number];
