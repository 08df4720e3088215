import { ApiProperty } from '@nestjs/swagger';
import { ACCOUNT_KINDS, NORMAL_SIDE, type AccountKind, type NormalSide } from '../account-kind.js';
import { toJsonAmount } from '../ledger-amount.js';
import type { AccountBalance } from '../ledger-types.js';

const MONEY = { type: 'integer', format: 'int64' } as const;

export class LedgerAccountResponse {
  @ApiProperty({ enum: ACCOUNT_KINDS, enumName: 'AccountKind' })
  kind: AccountKind;

  @ApiProperty({ enum: ['debit', 'credit'], description: 'The side on which the balance grows: debit for pool, clearing, payouts and fees; credit for contributions and adjustments.' })
  normalSide: NormalSide;

  @ApiProperty({ ...MONEY, description: 'Balance seen from the normal side, in minor units: what the pool holds, what has been paid out, received…', example: 50000 })
  balance: number;

  @ApiProperty({ ...MONEY, description: 'Sum of all debits ever posted, in minor units.' })
  debitTotal: number;

  @ApiProperty({ ...MONEY, description: 'Sum of all credits ever posted, in minor units.' })
  creditTotal: number;

  @ApiProperty({ ...MONEY, description: 'Number of entries posted to this account so far.' })
  version: number;
}

export class LedgerAccountsResponse {
  circleId: string;

  /** ISO 4217 code of every amount here. @example "USD" */
  currency: string;

  /** The six accounts of the circle, pool first. */
  accounts: LedgerAccountResponse[];
}

export function toLedgerAccountsResponse(circleId: string, currency: string, balances: AccountBalance[]): LedgerAccountsResponse {
  return {
    circleId,
    currency,
    accounts: balances.map((b) => ({
      kind: b.kind,
      normalSide: NORMAL_SIDE[b.kind],
      balance: toJsonAmount(b.balance),
      debitTotal: toJsonAmount(b.debitTotal),
      creditTotal: toJsonAmount(b.creditTotal),
      version: toJsonAmount(b.version),
    })),
  };
}
