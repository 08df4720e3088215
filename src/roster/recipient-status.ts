import type { Moves } from '../common/state-machine.js';

/** docs/design.md "State machines": waitlisted → offered(until) → active ⇄ paused → exited(reason). */
export const RECIPIENT_STATUSES = ['waitlisted', 'offered', 'active', 'paused', 'exited'] as const;
export type RecipientStatus = (typeof RECIPIENT_STATUSES)[number];

export const EXIT_REASONS = ['employed', 'moved', 'self_withdrew', 'no_response', 'other'] as const;
export type ExitReason = (typeof EXIT_REASONS)[number];

/**
 * Why a status changed, as recorded in the history. A closed list rather than free text,
 * so no personal detail can be written into the history (invariant 9).
 */
export const CHANGE_REASONS = [...EXIT_REASONS, 'added', 'offer_declined', 'offer_expired', 'slot_freed', 'cycle_activation'] as const;
export type ChangeReason = (typeof CHANGE_REASONS)[number];

export type RecipientAction = 'offer' | 'accept' | 'decline' | 'expire' | 'pause' | 'resume' | 'exit' | 'activate';

/** Every legal transition: the action, the states it may start from, and where it leads. */
export const TRANSITIONS: Moves<RecipientAction, RecipientStatus> = {
  offer: { from: ['waitlisted'], to: 'offered' },
  accept: { from: ['offered'], to: 'active' },
  decline: { from: ['offered'], to: 'waitlisted' },
  expire: { from: ['offered'], to: 'waitlisted' },
  pause: { from: ['active'], to: 'paused' },
  resume: { from: ['paused'], to: 'active' },
  exit: { from: ['offered', 'active', 'paused'], to: 'exited' },
  // Cycle activation fills its slots straight from the queue.
  activate: { from: ['offered', 'waitlisted'], to: 'active' },
};

/** How long an offer made automatically for a freed slot stays open. */
export const DEFAULT_OFFER_DAYS = 7;
