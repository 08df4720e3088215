import { DomainError } from '../common/errors/domain-error.js';

/** Accepts what callers hold as money (bigint or integer number) and gives the exact bigint. */
export function toMinorUnits(value: bigint | number): bigint {
  if (typeof value === 'bigint') return value;
  // Never a float (docs/design.md "Money"): a non-integer or unsafe number is a programming error.
  if (!Number.isSafeInteger(value)) throw new DomainError('validation-failed', 'An amount must be a whole number of minor units.');
  return BigInt(value);
}

/**
 * A bigint from PostgreSQL (text or bigint) as a JSON-safe number. Ledger totals beyond
 * 2^53 − 1 minor units cannot be shown exactly in JSON, so they fail loudly instead.
 */
export function toJsonAmount(value: string | bigint): number {
  const big = typeof value === 'bigint' ? value : BigInt(value);
  if (big > BigInt(Number.MAX_SAFE_INTEGER) || big < BigInt(Number.MIN_SAFE_INTEGER)) {
    throw new DomainError('internal-error', 'An amount is too large to represent exactly.');
  }
  return Number(big);
}
