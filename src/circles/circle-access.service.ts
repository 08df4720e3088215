import { Injectable } from '@nestjs/common';
import { DomainError } from '../common/errors/domain-error.js';
import { TransactionHost } from '../database/transaction-host.js';
import type { CircleContext } from './circle-context.js';
import { roleAtLeast, type CircleRole } from './circle-role.js';

/**
 * The one access check every circle-scoped service method starts with. A circle the caller
 * does not belong to is indistinguishable from a missing one (404); a role too low is 403.
 */
@Injectable()
export class CircleAccess {
  constructor(private readonly tx: TransactionHost) {}

  async require(circleId: string, userId: string, minRole: CircleRole): Promise<CircleContext> {
    const rows: { role: CircleRole; currency: string; currency_exponent: number; timezone: string }[] = await this.tx.manager.query(
      `SELECT m.role, c.currency, c.currency_exponent, c.timezone
         FROM memberships m JOIN circles c ON c.id = m.circle_id
        WHERE m.circle_id = $1 AND m.user_id = $2`,
      [circleId, userId],
    );
    const row = rows[0];
    if (!row) throw DomainError.notFound('circle');
    if (!roleAtLeast(row.role, minRole)) {
      throw new DomainError('forbidden', `This needs the ${minRole} role or higher in this circle; you are ${row.role}.`);
    }
    return { circleId, userId, role: row.role, currency: row.currency, currencyExponent: row.currency_exponent, timezone: row.timezone };
  }
}
