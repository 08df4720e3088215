import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { createTestDatabase } from '../support/test-app.js';
import { sqlStateOf } from '../support/sqlstate.js';
import { insertCircle } from '../support/raw-circles.js';

// The database refuses, by itself, whatever would break the ledger's invariants: these
// tests use raw SQL only, the way a careless script or a bug elsewhere would.
describe('ledger guards in the database', () => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let sql: pg.Pool;
  let circleA: string;
  let circleB: string;

  const newCircle = (currency = 'USD'): Promise<string> => insertCircle(sql, { currency });
  const post = async (circleId: string, entries: [string, number][], transferId = randomUUID(), kind = 'adjustment'): Promise<string> => {
    const json = JSON.stringify(entries.map(([account, amount]) => ({ account, amount })));
    await sql.query('SELECT ledger_post($1, $2, $3, $4::jsonb)', [transferId, circleId, kind, json]);
    return transferId;
  };
  const account = async (circleId: string, kind: string): Promise<{ id: string; debit_total: string; credit_total: string; version: string }> =>
    (await sql.query('SELECT id, debit_total, credit_total, version FROM ledger_accounts WHERE circle_id = $1 AND kind = $2', [circleId, kind])).rows[0];
  /** Runs statements in one transaction and returns the SQLSTATE it failed with (undefined if it committed). */
  const failure = (...statements: [string, unknown[]?][]): Promise<string | undefined> => sqlStateOf(sql, ...statements);

  beforeAll(async () => {
    db = await createTestDatabase();
    sql = new pg.Pool({ connectionString: db.url, max: 3 });
    circleA = await newCircle();
    circleB = await newCircle();
    await post(circleA, [['pool', 10000], ['adjustments', -10000]]);
    await post(circleB, [['pool', 10000], ['adjustments', -10000]]);
  });
  afterAll(async () => {
    await sql.end();
    await db.drop();
  });

  it('invariant 2: entries and transfers cannot be updated, deleted or truncated', async () => {
    const id = await post(circleA, [['pool', 5], ['adjustments', -5]]);
    expect(await failure(['UPDATE ledger_entries SET amount = amount * 2 WHERE transfer_id = $1', [id]])).toBe('AR002');
    expect(await failure(['DELETE FROM ledger_entries WHERE transfer_id = $1', [id]])).toBe('AR002');
    expect(await failure(['UPDATE ledger_transfers SET memo = $2 WHERE id = $1', [id, 'edited']])).toBe('AR002');
    expect(await failure(['DELETE FROM ledger_transfers WHERE id = $1', [id]])).toBe('AR002');
    expect(await failure(['TRUNCATE ledger_entries'])).toBe('AR002');
    expect(await failure(['TRUNCATE ledger_transfers CASCADE'])).toBe('AR002');
    expect(await failure(['DELETE FROM ledger_accounts WHERE circle_id = $1', [circleA]])).toBe('AR002');
    const { rows } = await sql.query('SELECT count(*)::int AS n, sum(abs(amount))::int AS total FROM ledger_entries WHERE transfer_id = $1', [id]);
    expect(rows[0]).toEqual({ n: 2, total: 10 });
  });

  it('invariant 1: an unbalanced transfer is rejected when it commits', async () => {
    const pool = await account(circleA, 'pool');
    const adj = await account(circleA, 'adjustments');
    const id = randomUUID();
    const insertTransfer: [string, unknown[]] = [`INSERT INTO ledger_transfers (id, circle_id, kind) VALUES ($1, $2, 'raw')`, [id, circleA]];
    const entries = (amounts: [string, number][]): [string, unknown[]] => [
      `INSERT INTO ledger_entries (transfer_id, account_id, circle_id, amount, account_version, balance_after)
       SELECT $1, x.account_id, $2, x.amount, 1000, 0 FROM jsonb_to_recordset($3::jsonb) AS x(account_id uuid, amount bigint)`,
      [id, circleA, JSON.stringify(amounts.map(([accountId, amount]) => ({ account_id: accountId, amount })))],
    ];
    // Each statement succeeds; the deferred check refuses the transaction at COMMIT.
    const client = await sql.connect();
    try {
      await client.query('BEGIN');
      await client.query(...insertTransfer);
      await client.query(...entries([[pool.id, 100], [adj.id, -99]]));
      await expect(client.query('COMMIT')).rejects.toMatchObject({ code: 'AR001' });
    } finally {
      client.release();
    }
    expect(await failure(insertTransfer, entries([[pool.id, 100]]))).toBe('AR001');
    expect(await failure(insertTransfer)).toBe('AR001');
    // Entries written one statement at a time, or added to a transfer committed earlier, are refused.
    expect(await failure(insertTransfer, entries([[pool.id, 100]]), entries([[adj.id, -100]]))).toBe('AR001');
    const existing = await post(circleA, [['pool', 7], ['adjustments', -7]]);
    const fees = await account(circleA, 'fees');
    const clearing = await account(circleA, 'clearing');
    expect(
      await failure([
        `INSERT INTO ledger_entries (transfer_id, account_id, circle_id, amount, account_version, balance_after) VALUES ($1, $2, $3, 3, 1000, 3), ($1, $4, $3, -3, 1000, -3)`,
        [existing, fees.id, circleA, clearing.id],
      ]),
    ).toBe('AR001');
    // The posting function refuses one before touching anything.
    expect(await failure(['SELECT ledger_post($1, $2, $3, $4::jsonb)', [randomUUID(), circleA, 'adjustment', '[{"account":"pool","amount":5},{"account":"adjustments","amount":-4}]']])).toBe('AR001');
    expect(await failure(['SELECT ledger_post($1, $2, $3, $4::jsonb)', [randomUUID(), circleA, 'adjustment', '[{"account":"pool","amount":5}]']])).toBe('AR001');
    expect(await failure(['SELECT ledger_post($1, $2, $3, $4::jsonb)', [randomUUID(), circleA, 'adjustment', '{"account":"pool"}']])).toBe('AR001');
  });

  it('invariant 4: the pool cannot go below zero, by posting or by raw update', async () => {
    const before = await account(circleA, 'pool');
    const balance = Number(before.debit_total) - Number(before.credit_total);
    const overdraft = JSON.stringify([{ account: 'pool', amount: -(balance + 1) }, { account: 'adjustments', amount: balance + 1 }]);
    const err = await sql.query('SELECT ledger_post($1, $2, $3, $4::jsonb)', [randomUUID(), circleA, 'adjustment', overdraft]).catch((e: { code: string; constraint: string }) => e);
    expect(err).toMatchObject({ code: '23514', constraint: 'ck_ledger_accounts_pool_not_negative' });
    expect(await failure(['UPDATE ledger_accounts SET credit_total = debit_total + 1, version = version + 1 WHERE id = $1', [before.id]])).toBe('23514');
    expect(await account(circleA, 'pool')).toEqual(before);
  });

  it('invariant 3: account totals only move through a posting', async () => {
    const pool = await account(circleA, 'pool');
    expect(await failure(['UPDATE ledger_accounts SET debit_total = debit_total - 1, version = version + 1 WHERE id = $1', [pool.id]])).toBe('AR002');
    expect(await failure(['UPDATE ledger_accounts SET debit_total = debit_total + 1 WHERE id = $1', [pool.id]])).toBe('AR002');
    expect(await failure(['UPDATE ledger_accounts SET circle_id = $2, version = version + 1 WHERE id = $1', [pool.id, circleB]])).toBe('AR002');
    const euro = await insertCircle(sql, { currency: 'EUR', open: false });
    expect(await failure([`INSERT INTO ledger_accounts (id, circle_id, kind, currency) VALUES ($1, $2, 'pool', 'USD')`, [randomUUID(), euro]])).toBe('AR006');
  });

  it('no posting crosses circles: an entry on another circle\'s account is rejected', async () => {
    const poolB = await account(circleB, 'pool');
    const adjA = await account(circleA, 'adjustments');
    const id = randomUUID();
    expect(
      await failure(
        [`INSERT INTO ledger_transfers (id, circle_id, kind) VALUES ($1, $2, 'raw')`, [id, circleA]],
        ['INSERT INTO ledger_entries (transfer_id, account_id, circle_id, amount, account_version, balance_after) VALUES ($1, $2, $3, 1, 1000, 0)', [id, poolB.id, circleA]],
        ['INSERT INTO ledger_entries (transfer_id, account_id, circle_id, amount, account_version, balance_after) VALUES ($1, $2, $3, -1, 1000, 0)', [id, adjA.id, circleA]],
      ),
    ).toBe('23503');
  });

  it('invariant 6: a transfer is reversed at most once, only within its circle, and a reversal is not reversed', async () => {
    const target = await post(circleA, [['pool', 300], ['adjustments', -300]]);
    const reverse = (circleId: string, of: string): Promise<string | undefined> => failure(['SELECT ledger_reverse($1, $2, $3)', [randomUUID(), circleId, of]]);
    const reversal = randomUUID();
    await sql.query('SELECT ledger_reverse($1, $2, $3)', [reversal, circleA, target]);
    expect(await reverse(circleA, target)).toBe('AR003');
    expect(await reverse(circleA, reversal)).toBe('AR005');
    expect(await reverse(circleB, target)).toBe('AR004');

    // Raw inserts meet the same guards.
    const rawReversal = (circleId: string, of: string): [string, unknown[]] => [`INSERT INTO ledger_transfers (id, circle_id, kind, reverses) VALUES ($1, $2, 'reversal', $3)`, [randomUUID(), circleId, of]];
    expect(await failure(rawReversal(circleA, target))).toBe('AR003');
    expect(await failure(rawReversal(circleB, target))).toBe('AR004');
    const { rows } = await sql.query('SELECT count(*)::int AS n FROM ledger_transfers WHERE reverses = $1', [target]);
    expect(rows[0].n).toBe(1);
  });

  it('a retried posting returns the original unchanged; its id cannot be reused elsewhere', async () => {
    const id = randomUUID();
    const first = await sql.query('SELECT ledger_post($1, $2, $3, $4::jsonb) AS doc', [id, circleA, 'adjustment', '[{"account":"pool","amount":40},{"account":"adjustments","amount":-40}]']);
    const poolAfter = await account(circleA, 'pool');
    const again = await sql.query('SELECT ledger_post($1, $2, $3, $4::jsonb) AS doc', [id, circleA, 'adjustment', '[{"account":"pool","amount":99},{"account":"adjustments","amount":-99}]']);
    expect(again.rows[0].doc).toEqual({ ...first.rows[0].doc, created: false, receipt: null });
    expect(await account(circleA, 'pool')).toEqual(poolAfter);
    expect(await failure(['SELECT ledger_post($1, $2, $3, $4::jsonb)', [id, circleB, 'adjustment', '[{"account":"pool","amount":1},{"account":"adjustments","amount":-1}]']])).toBe('AR007');
    expect(await failure(['SELECT ledger_post($1, $2, $3, $4::jsonb)', [randomUUID(), circleA, 'adjustment', '[{"account":"pool","amount":1},{"account":"nowhere","amount":-1}]']])).toBe('AR006');
    expect(await failure(['SELECT ledger_post($1, $2, $3, $4::jsonb)', [randomUUID(), circleA, 'adjustment', '[{"account":"pool","amount":1.5},{"account":"adjustments","amount":-1.5}]']])).toBe('22P02');
  });
});
