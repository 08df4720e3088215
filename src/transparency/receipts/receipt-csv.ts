// One receipt as a row of receipts.csv (pure). docs/receipts.md describes the columns.
import type { ReceiptRecord } from '../../ledger/receipt-types.js';
import type { CsvValue } from '../csv.js';
import { formatMinorUnits } from '../decimal-amount.js';

/** The receipt's own fields (nothing else exists to leak), plus a decimal amount beside the minor units. */
export const RECEIPT_CSV_COLUMNS = [
  'seq',
  'receipt_id',
  'date',
  'kind',
  'direction',
  'amount_minor',
  'amount',
  'currency',
  'method',
  'cycle_id',
  'week',
  'alias_digest',
  'alias',
  'donor',
  'donor_digest',
  'donor_name',
  'reverses',
  'category',
  'prev_hash',
  'hash',
] as const;

/** The cells of one receipt, in RECEIPT_CSV_COLUMNS order. */
export function receiptCsvRow(r: ReceiptRecord, exponent: number): CsvValue[] {
  return [r.seq, r.id, r.date, r.kind, r.direction, r.amount, formatMinorUnits(r.amount, exponent), r.currency, r.method, r.cycleId, r.week, r.aliasDigest, r.alias, r.donor, r.donorDigest, r.donorName, r.reverses, r.category, r.prevHash, r.hash];
}
