// The largest single adjustment or contribution of a circle (docs/ledger.md, "Amount limits").

/** Without a setting and without an active cycle: 1,000,000 minor units (10,000.00 USD, 1,000,000 JPY). */
export const DEFAULT_SINGLE_AMOUNT_LIMIT = 1_000_000n;

/** Without a setting, with an active cycle: this many weeks of the whole cycle's payouts. */
export const CYCLE_WEEKS_IN_LIMIT = 10n;

/** The largest amount any posting, and any account's totals, may reach: what a JSON number holds exactly. */
export const LARGEST_AMOUNT = BigInt(Number.MAX_SAFE_INTEGER);

/**
 * The limit: the circle's own setting when it has one; otherwise ten weeks of its active
 * cycle (weekly amount per recipient × slots × 10); otherwise the fixed default. Never above
 * LARGEST_AMOUNT.
 */
export function singleAmountLimit(setting: bigint | null, activeCycle: { amount: bigint; slots: number } | null): bigint {
  const limit = setting ?? (activeCycle ? activeCycle.amount * BigInt(activeCycle.slots) * CYCLE_WEEKS_IN_LIMIT : DEFAULT_SINGLE_AMOUNT_LIMIT);
  return limit < LARGEST_AMOUNT ? limit : LARGEST_AMOUNT;
}
