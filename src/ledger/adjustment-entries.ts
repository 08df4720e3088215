import type { AdjustmentDirection } from './dto/create-adjustment.dto.js';
import type { PostingEntry } from './ledger-types.js';

/** in: adjustments → pool (cash already held); out: pool → adjustments (a correction). */
export function adjustmentEntries(direction: AdjustmentDirection, amount: bigint): PostingEntry[] {
  const signed = direction === 'in' ? amount : -amount;
  return [
    { account: 'pool', amount: signed },
    { account: 'adjustments', amount: -signed },
  ];
}
