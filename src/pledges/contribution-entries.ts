// The ledger entries each kind of contribution posts (pure; docs/payments.md explains them).
// Entries are signed debit-positive: pool and fees grow with debits, contributions with credits.
import type { PostingEntry } from '../ledger/ledger-types.js';

/** Cash (etc.) in hand: the whole amount reaches the pool. */
export function manualContributionEntries(amount: bigint): PostingEntry[] {
  return [
    { account: 'contributions', amount: -amount },
    { account: 'pool', amount },
  ];
}

/**
 * A card payment, one transfer: income is the gross, the pool gets the net and the
 * provider's fee is an expense. `clearing` is not used: money in transit would need a
 * second posting when Stripe pays out, which arvut does not track (docs/payments.md).
 */
export function cardContributionEntries(gross: bigint, fee: bigint): PostingEntry[] {
  if (fee < 0n || fee > gross) throw new RangeError('a card fee must be between 0 and the gross amount');
  const entries: PostingEntry[] = [
    { account: 'contributions', amount: -gross },
    { account: 'pool', amount: gross - fee },
  ];
  if (fee > 0n) entries.push({ account: 'fees', amount: fee });
  return entries.filter((e) => e.amount !== 0n);
}

export interface Compensation {
  entries: PostingEntry[];
  fromPool: bigint;
  /** What the pool could not cover: booked to `adjustments`, for a treasurer to settle. */
  shortfall: bigint;
}

/**
 * A refund or dispute of `amount` (plus a provider `fee`, e.g. a dispute fee) taken back
 * from the pool. Invariant 4: the pool never goes negative, so at most `poolAvailable` comes
 * from it and the rest is recorded as a shortfall against `adjustments` — the refund
 * happened at the provider either way, and the books must say so.
 */
export function compensationEntries(amount: bigint, fee: bigint, poolAvailable: bigint): Compensation {
  if (amount <= 0n || fee < 0n) throw new RangeError('a compensation needs a positive amount and a non-negative fee');
  const total = amount + fee;
  const fromPool = poolAvailable <= 0n ? 0n : poolAvailable < total ? poolAvailable : total;
  const shortfall = total - fromPool;
  const entries: PostingEntry[] = [
    { account: 'contributions', amount },
    { account: 'fees', amount: fee },
    { account: 'pool', amount: -fromPool },
    { account: 'adjustments', amount: -shortfall },
  ];
  return { entries: entries.filter((e) => e.amount !== 0n), fromPool, shortfall };
}
