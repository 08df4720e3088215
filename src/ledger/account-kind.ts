/**
 * The six accounts every circle has (docs/design.md "Money"), in display order: the one list.
 * The entity's check constraint is built from it; test/e2e/ledger-account-kinds.e2e.spec.ts
 * proves the migrated database (its check constraint and `ledger_open_accounts`) agrees.
 */
export const ACCOUNT_KINDS = ['pool', 'clearing', 'contributions', 'payouts', 'fees', 'adjustments'] as const;
export type AccountKind = (typeof ACCOUNT_KINDS)[number];

export type NormalSide = 'debit' | 'credit';

/**
 * The side on which each account's balance grows. Entries are signed debit-positive
 * (amount > 0 debits, < 0 credits), so a debit-normal balance is debits − credits and a
 * credit-normal balance is credits − debits: money the circle holds shows as positive in
 * `pool`, and money received shows as positive in `contributions`.
 */
export const NORMAL_SIDE: Record<AccountKind, NormalSide> = {
  pool: 'debit', // asset: money the circle holds
  clearing: 'debit', // asset: card money in transit from the provider
  contributions: 'credit', // income: money received from donors
  payouts: 'debit', // expense: money paid to recipients
  fees: 'debit', // expense: provider fees
  adjustments: 'credit', // counter-account for cash on hand and corrections
};

export function isAccountKind(value: unknown): value is AccountKind {
  return typeof value === 'string' && (ACCOUNT_KINDS as readonly string[]).includes(value);
}

/** A raw debit-minus-credit figure seen from the account's normal side. */
export function normalBalance(kind: AccountKind, debitMinusCredit: bigint): bigint {
  return NORMAL_SIDE[kind] === 'debit' ? debitMinusCredit : -debitMinusCredit;
}
