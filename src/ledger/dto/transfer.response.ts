import { ApiProperty } from '@nestjs/swagger';
import { ACCOUNT_KINDS, normalBalance, type AccountKind } from '../account-kind.js';
import { toJsonAmount } from '../ledger-amount.js';
import type { PostedTransfer, TransferSummary } from '../ledger-types.js';

const MONEY = { type: 'integer', format: 'int64' } as const;

export class TransferEntryResponse {
  @ApiProperty({ enum: ACCOUNT_KINDS, enumName: 'AccountKind' })
  account: AccountKind;

  @ApiProperty({ ...MONEY, description: 'Signed minor units: positive debits the account, negative credits it.', example: 50000 })
  amount: number;

  @ApiProperty({ ...MONEY, description: "The account's version after this entry (its entry count)." })
  accountVersion: number;

  @ApiProperty({ ...MONEY, description: "The account's balance after this entry, seen from its normal side." })
  balanceAfter: number;
}

export class TransferSummaryResponse {
  id: string;

  /** What the posting was: adjustment, reversal, payout, contribution, fee… @example "adjustment" */
  kind: string;

  /** Treasurer's note; never names. */
  memo: string | null;

  /** The transfer this one reverses, if it is a reversal. */
  reverses: string | null;

  /** The reversal of this transfer, if it has been reversed. */
  reversedBy: string | null;

  @ApiProperty({ ...MONEY, description: 'Size of the transfer: the sum of its debits, in minor units.', example: 50000 })
  amount: number;

  /** @example "USD" */
  currency: string;

  createdAt: string;
}

export class TransferResponse extends TransferSummaryResponse {
  @ApiProperty({ type: 'object', additionalProperties: true, description: 'Ids tying the transfer to other records (e.g. direction, cycle, week, payout). Never personal data.' })
  metadata: Record<string, unknown>;

  /** Two or more entries summing to zero, pool first. */
  entries: TransferEntryResponse[];
}

export class TransferPageResponse {
  items: TransferSummaryResponse[];
  nextCursor: string | null;
}

export function toTransferSummaryResponse(t: TransferSummary, currency: string): TransferSummaryResponse {
  return {
    id: t.id,
    kind: t.kind,
    memo: t.memo,
    reverses: t.reverses,
    reversedBy: t.reversedBy,
    amount: toJsonAmount(t.amount),
    currency,
    createdAt: t.createdAt.toISOString(),
  };
}

export function toTransferResponse(t: PostedTransfer, currency: string, reversedBy: string | null): TransferResponse {
  const debits = t.entries.reduce((sum, e) => (e.amount > 0n ? sum + e.amount : sum), 0n);
  return {
    id: t.id,
    kind: t.kind,
    memo: t.memo,
    reverses: t.reverses,
    reversedBy,
    amount: toJsonAmount(debits),
    currency,
    createdAt: t.createdAt.toISOString(),
    metadata: t.metadata,
    entries: t.entries.map((e) => ({
      account: e.account,
      amount: toJsonAmount(e.amount),
      accountVersion: toJsonAmount(e.accountVersion),
      balanceAfter: toJsonAmount(normalBalance(e.account, e.balanceAfter)),
    })),
  };
}
