import { Injectable } from '@nestjs/common';
import { DomainError } from '../common/errors/domain-error.js';
import { prepared } from '../database/prepared-statements.js';
import { TransactionHost } from '../database/transaction-host.js';
import type { CircleContext, CircleReaderContext } from './circle-context.js';
import { roleAtLeast, type CircleRole } from './circle-role.js';

// Runs at the start of nearly every circle request: prepared once per connection.
const MEMBERSHIP = prepared(
  'arvut_circle_membership',
  `SELECT m.role, c.currency, c.currency_exponent, c.timezone
     FROM memberships m JOIN circles c ON c.id = m.circle_id
    WHERE m.circle_id = $1 AND m.user_id = $2`,
);

/**
 * The one access check every circle-scoped service method starts with. A circle the caller
 * does not belong to is indistinguishable from a missing one (404); a role too low is 403.
 */
@Injectable()
export class CircleAccess {
  constructor(private readonly tx: TransactionHost) {}

  async require(circleId: string, userId: string, minRole: CircleRole): Promise<CircleContext> {
    const rows: { role: CircleRole; currency: string; currency_exponent: number; timezone: string }[] = await this.tx.manager.query(MEMBERSHIP, [circleId, userId]);
    const row = rows[0];
    if (!row) throw DomainError.notFound('circle');
    if (!roleAtLeast(row.role, minRole)) {
      throw new DomainError('forbidden', `This needs the ${minRole} role or higher in this circle; you are ${row.role}.`);
    }
    return { circleId, userId, role: row.role, currency: row.currency, currencyExponent: row.currency_exponent, timezone: row.timezone };
  }

  /**
   * The check for what a circle's `receiptVisibility` governs (receipts, reports): members
   * always read; when it is `public`, anyone does, signed in or not (role null). Otherwise a
   * non-member or an anonymous caller gets the 404 of a circle that does not exist.
   */
  async requireReader(circleId: string, userId: string | undefined): Promise<CircleReaderContext> {
    const rows: { role: CircleRole | null; currency: string; currency_exponent: number; timezone: string; receipt_visibility: string }[] = await this.tx.manager.query(
      `SELECT m.role, c.currency, c.currency_exponent, c.timezone, c.receipt_visibility
         FROM circles c LEFT JOIN memberships m ON m.circle_id = c.id AND m.user_id = $2
        WHERE c.id = $1`,
      [circleId, userId ?? null],
    );
    const row = rows[0];
    if (!row || (row.role === null && row.receipt_visibility !== 'public')) throw DomainError.notFound('circle');
    return { circleId, userId: userId ?? null, role: row.role, currency: row.currency, currencyExponent: row.currency_exponent, timezone: row.timezone };
  }
}
