import { Injectable } from '@nestjs/common';
import { DomainError } from '../common/errors/domain-error.js';
import { prepared } from '../database/prepared-statements.js';
import { TransactionHost } from '../database/transaction-host.js';
import { CIRCLE_ACCESS_COLUMNS, FRESH_CIRCLE_ACCESS, takeCircleAccess, takeFreshCircleAccess, type CircleAccessRow } from './circle-access-prefetch.js';
import type { CircleContext, CircleReaderContext } from './circle-context.js';
import { roleAtLeast, type CircleRole } from './circle-role.js';

// Runs at the start of nearly every circle request that did not get its row from the session check.
// $2 is a user id or, for a caller with an API key, the key's id: a live key has its role in its own circle only.
const ACCESS = prepared(
  'arvut_circle_access',
  `SELECT ${CIRCLE_ACCESS_COLUMNS.replace('m.role', 'coalesce(m.role, k.role) AS role')}
     FROM circles c LEFT JOIN memberships m ON m.circle_id = c.id AND m.user_id = $2
     LEFT JOIN api_keys k ON k.id = $2 AND k.circle_id = c.id AND k.revoked_at IS NULL
    WHERE c.id = $1`,
);

/**
 * The one access check every circle-scoped service method starts with. A circle the caller
 * does not belong to is indistinguishable from a missing one (404); a role too low is 403.
 */
@Injectable()
export class CircleAccess {
  constructor(private readonly tx: TransactionHost) {}

  async require(circleId: string, userId: string, minRole: CircleRole): Promise<CircleContext> {
    const row = await this.row(circleId, userId);
    if (!row?.found || row.role === null) throw DomainError.notFound('circle');
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
    const row = await this.row(circleId, userId);
    if (!row?.found || (row.role === null && row.receipt_visibility !== 'public')) throw DomainError.notFound('circle');
    return { circleId, userId: userId ?? null, role: row.role, currency: row.currency, currencyExponent: row.currency_exponent, timezone: row.timezone };
  }

  /**
   * Inside a transaction (every mutation), the caller's role as it stands now, share-locked
   * until the transaction ends: a role read earlier (the session check's) could already be
   * stale, and a concurrent demotion must wait for this transaction or be seen by it.
   * Outside one (reads), the session check's row of this request.
   */
  private async row(circleId: string, userId: string | undefined): Promise<CircleAccessRow | undefined> {
    if (this.tx.inTransaction) {
      const manager = this.tx.manager;
      const sent = userId === undefined ? undefined : takeFreshCircleAccess(circleId, userId, manager);
      if (sent) return sent;
      const rows: CircleAccessRow[] = await manager.query(FRESH_CIRCLE_ACCESS, [circleId, userId ?? null]);
      return rows[0];
    }
    const prefetched = userId === undefined ? undefined : takeCircleAccess(circleId, userId);
    if (prefetched) return prefetched;
    const rows: CircleAccessRow[] = await this.tx.manager.query(ACCESS, [circleId, userId ?? null]);
    return rows[0];
  }
}
