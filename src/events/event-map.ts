/**
 * Every domain event arvut emits: its name and the type of its payload. One map, so a
 * reader finds every cross-module reaction (EventsService.on) and everything integrators
 * receive (the polling feed and webhooks) in one place.
 *
 * Payloads carry ids, states, amounts (integer minor units), dates and currencies — never
 * personal data: no alias, name, email, contact, payout handle or note (invariant 9). The
 * events module imports no feature module, so states are spelled out here as literals; an
 * emitter whose own type drifts from them stops compiling.
 */

type Iso = string;
type MemberRole = 'organizer' | 'treasurer' | 'donor' | 'member';
type RecipientState = 'waitlisted' | 'offered' | 'active' | 'paused' | 'exited';
type PayoutState = 'scheduled' | 'approved' | 'sent' | 'acknowledged' | 'returned' | 'cancelled';
type PledgeState = 'pending' | 'active' | 'paused' | 'past_due' | 'lapsed' | 'cancelled' | 'completed';
type RequestState = 'submitted' | 'in_review' | 'approved' | 'paid' | 'acknowledged' | 'declined' | 'withdrawn' | 'cancelled' | 'returned' | 'expired';

export interface RecipientChange {
  recipientId: string;
  /** null when the recipient was just added. */
  from: RecipientState | null;
  to: RecipientState;
  at: Iso;
  /** Until when an offer stands (recipient.offered only). */
  offeredUntil?: Iso;
  /** Why a recipient left (recipient.exited only): a fixed code, never free text. */
  exitReason?: string;
}

export interface PayoutChange {
  payoutId: string;
  cycleId: string;
  recipientId: string;
  week: number;
  payoutDate: string;
  amount: number;
  currency: string;
  from: PayoutState | null;
  to: PayoutState;
}

export interface PledgeChange {
  pledgeId: string;
  from: PledgeState | null;
  to: PledgeState;
  amount: number;
  currency: string;
  at: Iso;
}

export interface ContributionMoney {
  contributionId: string;
  pledgeId: string | null;
  /** 'card', or how a treasurer recorded money received by hand ('cash', 'bank', …). */
  method: string;
  amount: number;
  currency: string;
  transferId: string;
}

export interface ContributionReversed {
  contributionId: string;
  reversalId: string;
  amount: number;
  currency: string;
  /** What the pool could not cover, booked to adjustments. */
  shortfall: number;
  transferId: string;
}

/** A request for help entering a state. Never its alias, opener, referrer or anything from the vault. */
export interface RequestChange {
  requestId: string;
  kind: 'grant' | 'roster';
  /** A grant's category (a fixed code); null for a roster request. */
  category: string | null;
  /** null when the request was just submitted. */
  from: RequestState | null;
  to: RequestState;
  amountAsked: number | null;
  amountGranted: number | null;
  currency: string;
  /** Why it was declined (request.declined only): a fixed code, never free text. */
  declineReason?: string;
  /** The waitlisted recipient an approved roster request became (request.approved only). */
  recipientId?: string;
  at: Iso;
}

/** Money of a grant moving: paid (pool → payouts) or returned (the reversal). */
export interface GrantMoney {
  requestId: string;
  category: string;
  amount: number;
  currency: string;
  /** How it was sent ('cash', 'cashapp', …). */
  method: string;
  /** The ledger transfer: the payment, or for grant.returned the reversal. */
  transferId: string;
  at: Iso;
}

export interface EventMap {
  'circle.created': { currency: string; timezone: string };
  'member.joined': { userId: string; role: MemberRole };
  'member.left': { userId: string; role: MemberRole };
  'member.role_changed': { userId: string; from: MemberRole; to: MemberRole };

  'recipient.waitlisted': RecipientChange;
  'recipient.offered': RecipientChange;
  'recipient.active': RecipientChange;
  'recipient.paused': RecipientChange;
  'recipient.exited': RecipientChange;

  'payout.scheduled': PayoutChange;
  'payout.approved': PayoutChange;
  'payout.sent': PayoutChange;
  'payout.acknowledged': PayoutChange;
  'payout.returned': PayoutChange;
  'payout.cancelled': PayoutChange;
  /** The recipient said through their acknowledgement link that the money did not arrive; the payout stays sent. */
  'payout.not_arrived': PayoutChange;

  'pledge.created': PledgeChange;
  'pledge.activated': PledgeChange;
  'pledge.paused': PledgeChange;
  'pledge.past_due': PledgeChange;
  'pledge.lapsed': PledgeChange;
  'pledge.cancelled': PledgeChange;
  'pledge.completed': PledgeChange;

  'contribution.received': ContributionMoney;
  'contribution.refunded': ContributionReversed;
  'contribution.disputed': ContributionReversed;

  'request.submitted': RequestChange;
  'request.in_review': RequestChange;
  'request.approved': RequestChange;
  'request.declined': RequestChange;
  'request.withdrawn': RequestChange;
  'request.expired': RequestChange;
  'request.cancelled': RequestChange;
  'request.paid': RequestChange;
  'request.acknowledged': RequestChange;
  'request.returned': RequestChange;
  'grant.paid': GrantMoney;
  'grant.returned': GrantMoney;

  'receipt.published': { receiptId: string; sequence: number; kind: string; amount: number; hash: string; transferId: string };
  'checkpoint.signed': { checkpointId: string; sequence: number; hash: string; signedAt: Iso; keyId: string };

  /** An organizer posted an alert to the members (docs/trust.md): never its text, which members read at GET …/alerts. */
  'alert.posted': { alertId: string; severity: 'info' | 'warning' | 'critical'; expiresAt: Iso; at: Iso };

  /** An alert for organizers: a webhook endpoint kept failing through the whole retry schedule and was switched off. */
  'webhook.endpoint_disabled': { endpointId: string; failingSince: Iso; stuckAtSequence: number };
}

export type EventType = keyof EventMap;

/** Every event type, in the order docs/webhooks.md lists them. The `satisfies` keeps it complete. */
export const EVENT_TYPES = [
  'circle.created',
  'member.joined',
  'member.left',
  'member.role_changed',
  'recipient.waitlisted',
  'recipient.offered',
  'recipient.active',
  'recipient.paused',
  'recipient.exited',
  'payout.scheduled',
  'payout.approved',
  'payout.sent',
  'payout.acknowledged',
  'payout.returned',
  'payout.cancelled',
  'payout.not_arrived',
  'pledge.created',
  'pledge.activated',
  'pledge.paused',
  'pledge.past_due',
  'pledge.lapsed',
  'pledge.cancelled',
  'pledge.completed',
  'contribution.received',
  'contribution.refunded',
  'contribution.disputed',
  'request.submitted',
  'request.in_review',
  'request.approved',
  'request.declined',
  'request.withdrawn',
  'request.expired',
  'request.cancelled',
  'request.paid',
  'request.acknowledged',
  'request.returned',
  'grant.paid',
  'grant.returned',
  'receipt.published',
  'checkpoint.signed',
  'alert.posted',
  'webhook.endpoint_disabled',
] as const satisfies readonly EventType[];

type Missing = Exclude<EventType, (typeof EVENT_TYPES)[number]>;
// Fails to compile when an event is added to the map but not to the list.
export const EVERY_EVENT_LISTED: Missing extends never ? true : Missing = true;

export function isEventType(value: string): value is EventType {
  return (EVENT_TYPES as readonly string[]).includes(value);
}

/** The event of a recipient entering `to`. */
export const RECIPIENT_EVENT = {
  waitlisted: 'recipient.waitlisted',
  offered: 'recipient.offered',
  active: 'recipient.active',
  paused: 'recipient.paused',
  exited: 'recipient.exited',
} as const satisfies Record<RecipientState, EventType>;

/** The event of a payout entering `to`. */
export const PAYOUT_EVENT = {
  scheduled: 'payout.scheduled',
  approved: 'payout.approved',
  sent: 'payout.sent',
  acknowledged: 'payout.acknowledged',
  returned: 'payout.returned',
  cancelled: 'payout.cancelled',
} as const satisfies Record<PayoutState, EventType>;

/** The event of a pledge moving to `to` (no move leads back to pending; a new pledge is pledge.created). */
export const PLEDGE_EVENT = {
  active: 'pledge.activated',
  paused: 'pledge.paused',
  past_due: 'pledge.past_due',
  lapsed: 'pledge.lapsed',
  cancelled: 'pledge.cancelled',
  completed: 'pledge.completed',
} as const satisfies Record<Exclude<PledgeState, 'pending'>, EventType>;

/** The event of a request entering `to`. */
export const REQUEST_EVENT = {
  submitted: 'request.submitted',
  in_review: 'request.in_review',
  approved: 'request.approved',
  declined: 'request.declined',
  withdrawn: 'request.withdrawn',
  expired: 'request.expired',
  cancelled: 'request.cancelled',
  paid: 'request.paid',
  acknowledged: 'request.acknowledged',
  returned: 'request.returned',
} as const satisfies Record<RequestState, EventType>;
