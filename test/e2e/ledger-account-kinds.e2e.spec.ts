// Account kinds are listed once, in src/ledger/account-kind.ts; the migrated database must
// allow exactly those and open exactly those for a new circle, in the same order.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { ACCOUNT_KINDS } from '../../src/ledger/account-kind.js';
import { createTestDatabase } from '../support/test-app.js';
import { insertCircle } from '../support/raw-circles.js';

describe('account kinds', () => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let sql: pg.Pool;

  beforeAll(async () => {
    db = await createTestDatabase();
    sql = new pg.Pool({ connectionString: db.url, max: 2 });
  });
  afterAll(async () => {
    await sql.end();
    await db.drop();
  });

  it('are the kinds the database check constraint allows', async () => {
    const { rows } = await sql.query<{ def: string }>(`SELECT pg_get_constraintdef(oid) AS def FROM pg_constraint WHERE conname = 'ck_ledger_accounts_kind'`);
    expect(rows).toHaveLength(1);
    expect([...rows[0].def.matchAll(/'([a-z_]+)'/g)].map((m) => m[1])).toEqual([...ACCOUNT_KINDS]);
  });

  it('are the accounts a new circle opens, in display order', async () => {
    const circleId = await insertCircle(sql);
    const { rows } = await sql.query<{ kind: string }>(`SELECT kind FROM ledger_accounts WHERE circle_id = $1 ORDER BY array_position($2::text[], kind)`, [circleId, ACCOUNT_KINDS]);
    expect(rows.map((r) => r.kind)).toEqual([...ACCOUNT_KINDS]);
  });
});
