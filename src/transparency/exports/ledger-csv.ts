// One ledger entry as a row of ledger.csv (pure). docs/transparency.md describes the columns.
import type { LedgerEntryLine } from '../../ledger/ledger-types.js';
import type { CsvValue } from '../csv.js';
import { formatMinorUnits } from '../decimal-amount.js';

export const LEDGER_CSV_COLUMNS = [
  'transfer_id',
  'posted_at',
  'kind',
  'reverses',
  'account',
  'side',
  'amount_minor',
  'amount',
  'currency',
  'account_version',
  'balance_after_minor',
  'balance_after',
  'cycle_id',
  'week',
  'method',
  'payout_id',
  'contribution_id',
  'memo',
] as const;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const WORD = /^[a-z][a-z_]{0,31}$/;

// Only these metadata fields, and only in their expected shape, reach the file: whatever
// else a module attaches to a transfer stays out (invariant 9 holds by construction).
const uuidOf = (value: unknown): string | null => (typeof value === 'string' && UUID.test(value) ? value : null);
const wordOf = (value: unknown): string | null => (typeof value === 'string' && WORD.test(value) ? value : null);
const weekOf = (value: unknown): number | null => (typeof value === 'number' && Number.isInteger(value) && value >= 1 && value <= 104 ? value : null);

/** The cells of one entry, in LEDGER_CSV_COLUMNS order. */
export function ledgerCsvRow(line: LedgerEntryLine, currency: string, exponent: number): CsvValue[] {
  const size = line.amount < 0n ? -line.amount : line.amount;
  const m = line.metadata ?? {};
  return [
    line.transferId,
    line.postedAt,
    line.kind,
    line.reverses,
    line.account,
    line.amount > 0n ? 'debit' : 'credit',
    size,
    formatMinorUnits(size, exponent),
    currency,
    line.accountVersion,
    line.balanceAfter,
    formatMinorUnits(line.balanceAfter, exponent),
    uuidOf(m.cycleId),
    weekOf(m.week),
    wordOf(m.method),
    uuidOf(m.payoutId),
    uuidOf(m.contributionId),
    line.memo,
  ];
}
