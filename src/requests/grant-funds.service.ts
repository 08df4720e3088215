import { Injectable } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import { CircleAccess } from '../circles/circle-access.service.js';
import { TransactionHost } from '../database/transaction-host.js';
import { LedgerService } from '../ledger/ledger.service.js';
import { budgetMonthOf } from './budget-month.js';
import { RequestSettingsService } from './request-settings.service.js';

export class GrantFundsResponse {
  /** @example "USD" */
  currency: string;
  /** What the pool holds now. */
  @ApiProperty({ type: 'integer', format: 'int64' })
  pool: number;
  /** Grants approved and not yet paid: promised, so no other approval may count on it. */
  @ApiProperty({ type: 'integer', format: 'int64' })
  reservedForGrants: number;
  /** pool − reservedForGrants: the most a new grant can be approved for (may be negative if payouts drew the pool down). */
  @ApiProperty({ type: 'integer', format: 'int64' })
  available: number;
  /** First day of the current calendar month in the circle's time zone. */
  @ApiProperty({ type: 'string', format: 'date' })
  month: string;
  @ApiProperty({ type: 'integer', format: 'int64', nullable: true })
  monthlyBudget: number | null;
  /** Grants approved this month (approved, paid or acknowledged). */
  @ApiProperty({ type: 'integer', format: 'int64' })
  approvedThisMonth: number;
  /** monthlyBudget − approvedThisMonth; null without a budget. */
  @ApiProperty({ type: 'integer', format: 'int64', nullable: true })
  budgetLeft: number | null;
}

/** The pool as grants see it: what is reserved for approved, unpaid grants and what the month's budget leaves. */
@Injectable()
export class GrantFunds {
  constructor(
    private readonly tx: TransactionHost,
    private readonly access: CircleAccess,
    private readonly ledger: LedgerService,
    private readonly settings: RequestSettingsService,
  ) {}

  /** Any member: the same figures the approval rules use (migration 1790000001400, requests_guard). */
  async get(userId: string, circleId: string, now: Date = new Date()): Promise<GrantFundsResponse> {
    const ctx = await this.access.require(circleId, userId);
    const month = budgetMonthOf(now, ctx.timezone);
    const pool = (await this.ledger.balances(circleId)).find((a) => a.kind === 'pool')?.balance ?? 0n;
    const [row] = (await this.tx.manager.query(
      // grant_reserved: the approval guard's own figure (migration 1790000001420).
      `SELECT grant_reserved($1)::text AS reserved,
              coalesce(sum(amount_granted) FILTER (WHERE budget_month = $2 AND status IN ('approved', 'paid', 'acknowledged')), 0)::text AS month
         FROM requests WHERE circle_id = $1 AND kind = 'grant'`,
      [circleId, month],
    )) as { reserved: string; month: string }[];
    const rules = await this.settings.rulesOf(circleId);
    const reserved = BigInt(row.reserved);
    const approved = BigInt(row.month);
    return {
      currency: ctx.currency,
      pool: Number(pool),
      reservedForGrants: Number(reserved),
      available: Number(pool - reserved),
      month,
      monthlyBudget: rules.grantBudgetMonthly === null ? null : Number(rules.grantBudgetMonthly),
      approvedThisMonth: Number(approved),
      budgetLeft: rules.grantBudgetMonthly === null ? null : Number(rules.grantBudgetMonthly - approved),
    };
  }
}
