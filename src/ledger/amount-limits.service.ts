import { Injectable } from '@nestjs/common';
import { QueryFailedError } from 'typeorm';
import { DomainError } from '../common/errors/domain-error.js';
import { TransactionHost } from '../database/transaction-host.js';
import { prepared } from '../database/prepared-statements.js';

// The rule itself is SQL (circle_single_amount_limit, migrations/1790000001800-PostingInOneWrite.ts):
// the same function answers the app's reads and the check sent ahead of a posting.
const LIMIT_SQL = prepared('arvut_single_amount_limit', 'SELECT circle_single_amount_limit($1)::text AS "limit"');
const REQUIRE_WITHIN_SQL = prepared('arvut_require_within_limit', 'SELECT ledger_require_within_limit($1, $2)');

/** The SQLSTATE of ledger_require_within_limit's refusal; its DETAIL is the limit. */
const OVER_LIMIT = 'AR011';

function overLimit(limit: bigint, amount: number, what: string, instead: string): DomainError {
  return new DomainError('amount-over-limit', `${what} of ${amount} is above this circle's limit of ${limit} for one posting. ${instead}`, { limit: Number(limit) });
}

/** Reads a circle's single-amount limit and refuses amounts above it (docs/ledger.md, "Amount limits"). */
@Injectable()
export class AmountLimits {
  constructor(private readonly tx: TransactionHost) {}

  /** The circle's limit, in minor units. */
  async limitOf(circleId: string): Promise<bigint> {
    const rows: { limit: string | null }[] = await this.tx.manager.query(LIMIT_SQL, [circleId]);
    if (rows[0]?.limit == null) throw DomainError.notFound('circle');
    return BigInt(rows[0].limit);
  }

  /** Refuses `amount` with 422 amount-over-limit when it is above the circle's limit; `instead` says what the caller can do. */
  async requireWithin(circleId: string, amount: number, what: string, instead: string): Promise<void> {
    const limit = await this.limitOf(circleId);
    if (BigInt(amount) > limit) throw overLimit(limit, amount, what, instead);
  }

  /**
   * The same check for a caller about to post as its transaction's last statement
   * (LedgerService.postAndCommit): sent now without waiting, so it leaves in the same write
   * as the posting and COMMIT; above the limit PostgreSQL aborts the transaction, and the
   * COMMIT with it. The returned promise settles with the check's answer: rejected with
   * 422 amount-over-limit when the amount is above the limit.
   */
  checkAhead(circleId: string, amount: number, what: string, instead: string): Promise<void> {
    return this.tx.sendAhead(REQUIRE_WITHIN_SQL, [circleId, amount]).then(
      () => undefined,
      (error: unknown) => {
        const driver = error instanceof QueryFailedError ? (error.driverError as { code?: string; detail?: string }) : undefined;
        if (driver?.code === OVER_LIMIT && driver.detail) throw overLimit(BigInt(driver.detail), amount, what, instead);
        throw error;
      },
    );
  }
}
