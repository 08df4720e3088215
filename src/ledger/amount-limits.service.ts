import { Injectable } from '@nestjs/common';
import { DomainError } from '../common/errors/domain-error.js';
import { TransactionHost } from '../database/transaction-host.js';
import { prepared } from '../database/prepared-statements.js';
import { singleAmountLimit } from './amount-limit.js';

type LimitRow = { setting: string | null; amount: string | null; slots: number | null };

const LIMIT_SQL = prepared(
  'arvut_single_amount_limit',
  `SELECT c.max_single_amount::text AS setting, y.amount::text AS amount, y.slots
     FROM circles c
     LEFT JOIN LATERAL (SELECT amount, slots FROM cycles WHERE circle_id = c.id AND status = 'active' ORDER BY activated_at DESC LIMIT 1) y ON true
    WHERE c.id = $1`,
);

function limitFrom(rows: LimitRow[]): bigint {
  const row = rows[0];
  if (!row) throw DomainError.notFound('circle');
  return singleAmountLimit(row.setting === null ? null : BigInt(row.setting), row.amount === null ? null : { amount: BigInt(row.amount), slots: Number(row.slots) });
}

function overLimit(limit: bigint, amount: number, what: string, instead: string): void {
  if (BigInt(amount) > limit) {
    throw new DomainError('amount-over-limit', `${what} of ${amount} is above this circle's limit of ${limit} for one posting. ${instead}`, { limit: Number(limit) });
  }
}

/** Reads a circle's single-amount limit and refuses amounts above it (docs/ledger.md, "Amount limits"). */
@Injectable()
export class AmountLimits {
  constructor(private readonly tx: TransactionHost) {}

  /** The circle's limit, in minor units. */
  async limitOf(circleId: string): Promise<bigint> {
    return limitFrom(await this.tx.manager.query(LIMIT_SQL, [circleId]));
  }

  /** Refuses `amount` with 422 amount-over-limit when it is above the circle's limit; `instead` says what the caller can do. */
  async requireWithin(circleId: string, amount: number, what: string, instead: string): Promise<void> {
    overLimit(await this.limitOf(circleId), amount, what, instead);
  }
}
