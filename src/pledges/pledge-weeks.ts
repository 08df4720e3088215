// Which weeks of a manual pledge are paid (pure: no Nest, no database; docs/architecture.md "Conventions").
import { daysBetween, type IsoDate } from './local-date.js';
import type { PledgeStatus } from './pledge-status.js';

export interface PledgeWeeksInput {
  /** Week 1 starts on this date (moved forward by days spent paused). */
  anchorOn: IsoDate;
  /** Today in the circle's time zone. */
  today: IsoDate;
  /** Weekly amount, minor units. */
  amount: bigint;
  /** Everything received for the pledge so far, minor units. */
  received: bigint;
}

/**
 * Weeks that have ended without enough money for them. A week is paid when the pledge's
 * contributions add up to its weekly amount for it, so paying a month ahead by hand, or
 * catching up late, both count.
 */
export function missedWeeks(input: PledgeWeeksInput): number {
  if (input.amount <= 0n) throw new RangeError('a pledge amount is positive');
  const endedWeeks = Math.max(0, Math.floor(daysBetween(input.anchorOn, input.today) / 7));
  const paidWeeks = input.received <= 0n ? 0 : Number(input.received / input.amount > BigInt(endedWeeks) ? BigInt(endedWeeks) : input.received / input.amount);
  return endedWeeks - paidWeeks;
}

/** The status a manual pledge should have after `missed` unpaid weeks (active/past_due only). */
export function statusForMissed(missed: number, missedWeeksForLapse: number): PledgeStatus {
  if (missed >= missedWeeksForLapse) return 'lapsed';
  return missed >= 1 ? 'past_due' : 'active';
}
