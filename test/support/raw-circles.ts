import { randomUUID } from 'node:crypto';
import type pg from 'pg';

/**
 * A circle written straight into the database, for tests of the SQL guards that bypass the
 * API; its six ledger accounts opened unless `open` is false. Returns its id.
 */
export async function insertCircle(sql: pg.Pool, { currency = 'USD', open = true }: { currency?: string; open?: boolean } = {}): Promise<string> {
  const id = randomUUID();
  await sql.query(`INSERT INTO circles (id, name, currency, currency_exponent, timezone) VALUES ($1, 'SQL test', $2, 2, 'UTC')`, [id, currency]);
  if (open) await sql.query('SELECT ledger_open_accounts($1)', [id]);
  return id;
}
