import { Injectable } from '@nestjs/common';
import { DomainError } from '../common/errors/domain-error.js';
import { TransactionHost } from '../database/transaction-host.js';
import { CIRCLE_ACCESS, CIRCLE_ACCESS_REQUIRE, MEMBERSHIP_SHARED, routeRole, takeCircleAccess, takeFreshCircleAccess, type CircleAccessRow } from './circle-access-prefetch.js';
import type { CircleContext, CircleReaderContext } from './circle-context.js';
import { CIRCLE_ROLES, roleAtLeast, type CircleRole } from './circle-role.js';

/** The stricter of the route's declared role and `atLeast`; a route with neither is a programming error. */
function requiredRole(atLeast: CircleRole | undefined): CircleRole {
  const declared = routeRole();
  if (declared === 'reader') throw new Error('a @CircleReaders route checks access with requireReader');
  if (declared === undefined) {
    if (atLeast === undefined) throw new Error('this circle route declares no @MinRole (src/circles/min-role.decorator.ts)');
    return atLeast;
  }
  return atLeast !== undefined && roleAtLeast(atLeast, declared) ? atLeast : declared;
}

function contextOf(circleId: string, userId: string, role: CircleRole, row: CircleAccessRow): CircleContext {
  return { circleId, userId, role, currency: row.currency, currencyExponent: row.currency_exponent, timezone: row.timezone };
}

/**
 * The one access check every circle-scoped service method starts with. A circle the caller
 * does not belong to is indistinguishable from a missing one (404); a role too low is 403.
 */
@Injectable()
export class CircleAccess {
  constructor(private readonly tx: TransactionHost) {}

  /**
   * The caller's context in the circle, if their role is at least the route's @MinRole
   * (src/circles/min-role.decorator.ts) and at least `atLeast` when given: a service asks for
   * more than its route only in a particular case (an organizer removing someone else, say).
   * Called where no route declared a role (a job), `atLeast` is the whole rule.
   */
  async require(circleId: string, userId: string, atLeast?: CircleRole): Promise<CircleContext> {
    const minRole = requiredRole(atLeast);
    const row = await this.row(circleId, userId);
    if (!row?.found || row.role === null) throw DomainError.notFound('circle');
    if (!roleAtLeast(row.role, minRole)) {
      throw new DomainError('forbidden', `This needs the ${minRole} role or higher in this circle; you are ${row.role}.`);
    }
    return contextOf(circleId, userId, row.role, row);
  }

  /**
   * require() for a request tried in one write (src/common/idempotency/, runInOneWrite): sends
   * the member's shared lock and a role check that aborts the transaction when the role is
   * below the route's @MinRole (one statement), without waiting; the context comes with its answer. The
   * caller may send its own statements right after: they cannot commit if the check refuses.
   * The refusal itself is answered by require() on the ordinary path.
   */
  requireAhead(circleId: string, userId: string): Promise<CircleContext> {
    const minRole = requiredRole(undefined);
    const roles = CIRCLE_ROLES.filter((role) => roleAtLeast(role, minRole));
    const checked = this.tx.sendAhead<CircleAccessRow & { role: CircleRole }>(CIRCLE_ACCESS_REQUIRE, [circleId, userId, roles]).then(([row]) => contextOf(circleId, userId, row.role, row));
    checked.catch(() => undefined); // read by the caller, after its last statement has answered
    return checked;
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
   * Inside a transaction (every mutation), the caller's role as it stands now, under the
   * member's shared lock until the transaction ends: a role read earlier (the session
   * check's) could already be stale, and a concurrent demotion must wait for this
   * transaction or be seen by it.
   * Outside one (reads), the session check's row of this request.
   */
  private async row(circleId: string, userId: string | undefined): Promise<CircleAccessRow | undefined> {
    if (this.tx.inTransaction) {
      const manager = this.tx.manager;
      const sent = userId === undefined ? undefined : takeFreshCircleAccess(circleId, userId, manager);
      if (sent) return sent;
      if (userId !== undefined) await manager.query(MEMBERSHIP_SHARED, [circleId, userId]);
      const rows: CircleAccessRow[] = await manager.query(CIRCLE_ACCESS, [circleId, userId ?? null]);
      return rows[0];
    }
    const prefetched = userId === undefined ? undefined : takeCircleAccess(circleId, userId);
    if (prefetched) return prefetched;
    const rows: CircleAccessRow[] = await this.tx.manager.query(CIRCLE_ACCESS, [circleId, userId ?? null]);
    return rows[0];
  }
}
