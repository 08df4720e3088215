import type { AccountKind } from './account-kind.js';

/** One line of a posting: amount > 0 debits the account, < 0 credits it (minor units). */
export interface PostingEntry {
  account: AccountKind;
  amount: bigint | number;
}

export interface PostingInput {
  /** Chosen by the caller and unique forever: posting the same id again returns the original. */
  transferId: string;
  circleId: string;
  /** Lower-case word(s) naming the posting: adjustment, payout, contribution, fee… */
  kind: string;
  /** At most 140 characters, shown to treasurers; never names (invariant 9). */
  memo?: string | null;
  entries: readonly PostingEntry[];
  /** Ids that tie the transfer to other records (cycle, week, payout…); never personal data. */
  metadata?: Record<string, unknown>;
}

export interface PostedEntry {
  account: AccountKind;
  accountId: string;
  amount: bigint;
  accountVersion: bigint;
  /** The account's debits − credits right after this entry. */
  balanceAfter: bigint;
}

export interface PostedTransfer {
  id: string;
  circleId: string;
  kind: string;
  memo: string | null;
  reverses: string | null;
  metadata: Record<string, unknown>;
  createdAt: Date;
  /** False when the transfer id existed already and this is the original, unchanged. */
  created: boolean;
  /**
   * The receipts `ledger_after_post` appended to the circle's chain with this posting:
   * `[{ id, seq, kind, amount (string), hash (hex) }]`, one per kind the transfer publishes
   * (docs/receipts.md); null for a retried posting (`created: false`), which writes none.
   */
  receipt: unknown;
  entries: PostedEntry[];
}

export interface AccountBalance {
  kind: AccountKind;
  currency: string;
  debitTotal: bigint;
  creditTotal: bigint;
  /** Seen from the account's normal side (account-kind.ts): positive in normal use. */
  balance: bigint;
  version: bigint;
}

/** A transfer in a list: its size is the sum of its debits. */
export interface TransferSummary {
  id: string;
  kind: string;
  memo: string | null;
  reverses: string | null;
  reversedBy: string | null;
  amount: bigint;
  createdAt: Date;
  /** createdAt with microseconds, for the page cursor. */
  cursorKey: string;
}

/** One entry with its transfer, as LedgerService.entriesInPostingOrder reads them for the export. */
export interface LedgerEntryLine {
  transferId: string;
  /** ISO 8601 in UTC, with PostgreSQL's microseconds. */
  postedAt: string;
  kind: string;
  memo: string | null;
  reverses: string | null;
  metadata: Record<string, unknown>;
  account: AccountKind;
  /** Signed minor units: > 0 debits the account, < 0 credits it. */
  amount: bigint;
  accountVersion: bigint;
  /** The account's balance right after this entry, seen from its normal side. */
  balanceAfter: bigint;
}
