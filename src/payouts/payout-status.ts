import type { Moves } from '../common/state-machine.js';

/**
 * docs/design.md "State machines": scheduled → approved → sent → acknowledged; sent → returned
 * (reversal posted); scheduled | approved → cancelled. Money moves only at `sent` and `returned`.
 */
export const PAYOUT_STATUSES = ['scheduled', 'approved', 'sent', 'acknowledged', 'returned', 'cancelled'] as const;
export type PayoutStatus = (typeof PAYOUT_STATUSES)[number];

/** How the treasurer moved the money. arvut never holds the recipient's handle for any of them. */
export const PAYOUT_METHODS = ['cash', 'cashapp', 'venmo', 'zelle', 'paypal', 'bank', 'other'] as const;
export type PayoutMethod = (typeof PAYOUT_METHODS)[number];

/** The states each transition may start from. */
export const PAYOUT_TRANSITIONS = {
  approve: { from: ['scheduled'], to: 'approved' },
  send: { from: ['approved'], to: 'sent' },
  acknowledge: { from: ['sent'], to: 'acknowledged' },
  return: { from: ['sent'], to: 'returned' },
  cancel: { from: ['scheduled', 'approved'], to: 'cancelled' },
} as const satisfies Moves<string, PayoutStatus>;

export type PayoutTransition = keyof typeof PAYOUT_TRANSITIONS;

/**
 * What a payout_history row records: a move along the state machine, or a new acknowledgement
 * link for a sent payout (no state change, but who issued a link and when is part of the trail).
 */
export const PAYOUT_HISTORY_EVENTS = ['status_change', 'acknowledgement_link_issued', 'not_arrived_reported'] as const;
export type PayoutHistoryEvent = (typeof PAYOUT_HISTORY_EVENTS)[number];
