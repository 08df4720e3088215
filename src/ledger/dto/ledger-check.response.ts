import type { LedgerCheckResult } from '../ledger-check.js';

export class LedgerInvariantResponse {
  /** @example "transfers-balanced" */
  name: string;

  /** The invariant's number in the design (1: transfers balance, 3: totals, 4: pool, 6: reversals). */
  invariant: number;

  description: string;

  ok: boolean;

  /** How many records break it (0 when ok). */
  offendingCount: number;

  /** Ids of the first 100 offending records (transfers, accounts or circles, per check). */
  offendingIds: string[];
}

export class LedgerCheckResponse {
  /** True when every invariant holds. */
  ok: boolean;

  checkedAt: string;

  results: LedgerInvariantResponse[];
}

export function toLedgerCheckResponse(result: LedgerCheckResult, checkedAt: Date): LedgerCheckResponse {
  return {
    ok: result.ok,
    checkedAt: checkedAt.toISOString(),
    results: result.results.map((r) => ({ name: r.name, invariant: r.invariant, description: r.description, ok: r.ok, offendingCount: r.offendingCount, offendingIds: [...r.offendingIds] })),
  };
}
