// The database protects itself from the app: a stolen app connection (SQL injection, a
// compromised process) runs as the app role, which can read and write rows and call
// functions, and nothing more. docs/security.md, "The database protects itself".
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { prepareExternalDatabase } from '../../src/database/prepare.js';
import { registerAndLogin } from '../support/auth.js';
import { createCircle, type TestUser } from '../support/circles.js';
import { postAdjustment } from '../support/ledger.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { sqlStateOf } from '../support/sqlstate.js';

/** The SQLSTATE `sql` fails with as the app role (committed on its own), or 'ok' when it succeeds. */
async function asApp(pool: pg.Pool, sql: string, params: unknown[] = []): Promise<string> {
  return (await sqlStateOf(pool, [sql, params])) ?? 'ok';
}

/** Runs every attack as the app role; each must fail with `code`. */
async function expectEachRefused(pool: pg.Pool, attacks: Record<string, string>, code: string): Promise<void> {
  const outcomes = Object.fromEntries(await Promise.all(Object.entries(attacks).map(async ([name, sql]) => [name, await asApp(pool, sql)])));
  expect(outcomes).toEqual(Object.fromEntries(Object.keys(attacks).map((name) => [name, code])));
}

describe("the app's database role", () => {
  let t: TestApp;
  let app: pg.Pool;
  let organizer: TestUser;
  let circleId: string;

  beforeAll(async () => {
    t = await createTestApp();
    app = new pg.Pool({ connectionString: t.databaseUrl, max: 2 });
    organizer = await registerAndLogin(t);
    circleId = await createCircle(t, organizer);
    expect((await postAdjustment(t, organizer, circleId, { direction: 'in', amount: 10_000 })).status).toBe(201);
  });
  afterAll(async () => {
    await app?.end();
    await t?.close();
  });

  it('is what the app connects with, and is no superuser', async () => {
    const { rows } = await app.query(`SELECT current_user AS role, r.rolsuper, r.rolbypassrls FROM pg_roles r WHERE r.rolname = current_user`);
    expect(rows[0]).toEqual({ role: 'arvut_app', rolsuper: false, rolbypassrls: false });
  });

  it('cannot change the schema, empty tables, switch off triggers or replace functions', async () => {
    const attacks: Record<string, string> = {
      truncate: 'TRUNCATE ledger_entries',
      truncateAll: 'TRUNCATE receipts, receipt_heads CASCADE',
      dropTable: 'DROP TABLE receipts',
      createTable: 'CREATE TABLE public.stash (x text)',
      disableTriggers: 'ALTER TABLE ledger_entries DISABLE TRIGGER ALL',
      disableUserTriggers: 'ALTER TABLE ledger_accounts DISABLE TRIGGER USER',
      replicationRole: "SET session_replication_role = 'replica'",
      replaceFunction: "CREATE OR REPLACE FUNCTION forbid_change() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$",
      dropFunction: 'DROP FUNCTION forbid_change() CASCADE',
      createSchema: 'CREATE SCHEMA stash',
      rewriteMigrations: 'DELETE FROM schema_migrations',
    };
    await expectEachRefused(app, attacks, '42501');
  });

  it('cannot rewrite or delete append-only records, nor delete accounts', async () => {
    const attacks: Record<string, string> = {
      updateEntry: 'UPDATE ledger_entries SET amount = amount * 2',
      deleteEntry: 'DELETE FROM ledger_entries',
      updateTransfer: "UPDATE ledger_transfers SET memo = 'rewritten'",
      deleteReceipt: 'DELETE FROM receipts',
      updateReceipt: 'UPDATE receipts SET amount = 1',
      deleteAccount: 'DELETE FROM ledger_accounts',
      deleteHistory: 'DELETE FROM payout_history',
    };
    await expectEachRefused(app, attacks, '42501');
  });

  it('cannot move account totals without the entry that moves them', async () => {
    const pool = `SELECT id FROM ledger_accounts WHERE circle_id = '${circleId}' AND kind = 'pool'`;
    // One version step with grown totals passes the row guard; only the entry check catches it.
    expect(await asApp(app, `UPDATE ledger_accounts SET debit_total = debit_total + 1000000, version = version + 1 WHERE id = (${pool})`)).toBe('AR008');
    expect(await asApp(app, `UPDATE ledger_accounts SET credit_total = credit_total + 5, debit_total = debit_total + 5, version = version + 1 WHERE id = (${pool})`)).toBe('AR008');
    const { rows } = await t.sql.query(`SELECT debit_total::text, version::text FROM ledger_accounts WHERE id = (${pool})`);
    expect(rows[0]).toEqual({ debit_total: '10000', version: '1' });
    // A real posting still moves them.
    expect((await postAdjustment(t, organizer, circleId, { direction: 'in', amount: 500 })).status).toBe(201);
  });

  it('cannot move a receipt chain head without the receipt', async () => {
    expect(await asApp(app, `UPDATE receipt_heads SET seq = seq + 1 WHERE circle_id = $1`, [circleId])).toBe('AR009');
    expect(await asApp(app, `UPDATE receipt_heads SET seq = seq + 1, hash = sha256('forged') WHERE circle_id = $1`, [circleId])).toBe('AR009');
    expect(await asApp(app, `INSERT INTO receipt_heads (circle_id, seq, hash) VALUES (gen_random_uuid(), 5, sha256('x'))`)).toBe('AR009');
  });

  it('start-up warns when DATABASE_URL is a superuser', async () => {
    const prepared = await prepareExternalDatabase(t.adminDatabaseUrl, t.adminDatabaseUrl);
    expect(prepared.warnings).toEqual([expect.stringContaining('superuser')]);
    expect((await prepareExternalDatabase(t.databaseUrl, t.adminDatabaseUrl)).warnings).toEqual([]);
    // Started with the app role alone, an instance checks that no migration is pending, and starts.
    expect(await prepareExternalDatabase(t.databaseUrl, t.databaseUrl)).toEqual({ appUrl: t.databaseUrl, applied: [], warnings: [] });
  });
});
