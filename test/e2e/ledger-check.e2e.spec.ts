import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import pg from 'pg';
import { runLedgerCheck, type LedgerCheckResult } from '../../src/ledger/ledger-check.js';
import { buildForTests, run } from '../support/build.js';
import { createTestDatabase } from '../support/test-app.js';

// The check must notice each kind of damage. The guards stop damage from being written,
// so these tests switch triggers (and with them foreign keys) off for the forging session.
describe('the ledger check', () => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let sql: pg.Pool;

  const newCircle = async (open = true): Promise<string> => {
    const id = randomUUID();
    await sql.query(`INSERT INTO circles (id, name, currency, currency_exponent, timezone) VALUES ($1, 'Check test', 'USD', 2, 'UTC')`, [id]);
    if (open) await sql.query('SELECT ledger_open_accounts($1)', [id]);
    return id;
  };
  const post = async (circleId: string, amount: number): Promise<string> => {
    const id = randomUUID();
    await sql.query('SELECT ledger_post($1, $2, $3, $4::jsonb)', [id, circleId, 'adjustment', JSON.stringify([{ account: 'pool', amount }, { account: 'adjustments', amount: -amount }])]);
    return id;
  };
  const accountId = async (circleId: string, kind: string): Promise<string> =>
    (await sql.query('SELECT id FROM ledger_accounts WHERE circle_id = $1 AND kind = $2', [circleId, kind])).rows[0].id;
  /** Runs statements with every trigger off, as only a superuser could. */
  const forge = async (...statements: [string, unknown[]][]): Promise<void> => {
    const client = await sql.connect();
    try {
      await client.query('BEGIN');
      await client.query('SET LOCAL session_replication_role = replica');
      for (const [text, params] of statements) await client.query(text, params);
      await client.query('COMMIT');
    } finally {
      client.release();
    }
  };
  const check = (circleId: string | null): Promise<LedgerCheckResult> => runLedgerCheck(async (text, params) => (await sql.query(text, params)).rows, circleId);
  const failing = (result: LedgerCheckResult): Record<string, string[]> => Object.fromEntries(result.results.filter((r) => !r.ok).map((r) => [r.name, r.offendingIds]));

  beforeAll(async () => {
    db = await createTestDatabase();
    sql = new pg.Pool({ connectionString: db.url, max: 3 });
  });
  afterAll(async () => {
    await sql.end();
    await db.drop();
  });

  it('passes on books written through the posting functions', async () => {
    const c = await newCircle();
    const t = await post(c, 900);
    await post(c, -400);
    await sql.query('SELECT ledger_reverse($1, $2, $3)', [randomUUID(), c, t]).catch(() => undefined); // refused: pool holds 500
    await post(c, 1000);
    await sql.query('SELECT ledger_reverse($1, $2, $3)', [randomUUID(), c, t]);
    const result = await check(c);
    expect(failing(result)).toEqual({});
    expect(result.ok).toBe(true);
    expect(result.results.map((r) => r.name)).toEqual(['transfers-balanced', 'circles-balanced', 'account-totals', 'entry-balances', 'pool-not-negative', 'reversals', 'accounts-complete', 'receipt-chain', 'receipts-complete', 'grants-posted', 'receipt-aliases', 'receipt-donor-names']);
  });

  it('finds an unbalanced transfer and the totals it throws off', async () => {
    const c = await newCircle();
    await post(c, 100);
    const bad = randomUUID();
    const pool = await accountId(c, 'pool');
    await forge(
      [`INSERT INTO ledger_transfers (id, circle_id, kind) VALUES ($1, $2, 'raw')`, [bad, c]],
      ['INSERT INTO ledger_entries (transfer_id, account_id, circle_id, amount, account_version, balance_after) VALUES ($1, $2, $3, 5, 2, 105)', [bad, pool, c]],
    );
    // Forged past ledger_post, it has no receipt either (invariant 8: no posting without its receipt).
    expect(failing(await check(c))).toEqual({ 'transfers-balanced': [bad], 'circles-balanced': [c], 'account-totals': [pool], 'receipts-complete': [bad] });
  });

  it('finds totals edited behind the ledger\'s back and a wrong balance-after', async () => {
    const c = await newCircle();
    const t = await post(c, 100);
    const pool = await accountId(c, 'pool');
    await forge(['UPDATE ledger_accounts SET debit_total = debit_total + 1 WHERE id = $1', [pool]]);
    expect(failing(await check(c))).toEqual({ 'circles-balanced': [c], 'account-totals': [pool] });
    await forge(['UPDATE ledger_accounts SET debit_total = debit_total - 1 WHERE id = $1', [pool]], ['UPDATE ledger_entries SET balance_after = 99 WHERE transfer_id = $1 AND account_id = $2', [t, pool]]);
    expect(failing(await check(c))).toEqual({ 'entry-balances': [t] });
  });

  it('finds a pool that went below zero', async () => {
    const c = await newCircle();
    const t = await post(c, 100);
    const pool = await accountId(c, 'pool');
    await forge(['UPDATE ledger_entries SET balance_after = -1 WHERE transfer_id = $1 AND account_id = $2', [t, pool]]);
    expect(failing(await check(c))).toMatchObject({ 'pool-not-negative': [pool] });
  });

  it('finds reversals that point nowhere, across circles, or do not mirror', async () => {
    const c = await newCircle();
    const other = await newCircle();
    const t = await post(c, 100);
    const foreign = await post(other, 100);
    const [nowhere, crossing, skewed] = [randomUUID(), randomUUID(), randomUUID()];
    const [pool, adj] = [await accountId(c, 'pool'), await accountId(c, 'adjustments')];
    const entry = (transfer: string, account: string, amount: number, version: number): [string, unknown[]] => [
      'INSERT INTO ledger_entries (transfer_id, account_id, circle_id, amount, account_version, balance_after) VALUES ($1, $2, $3, $4, $5, 0)',
      [transfer, account, c, amount, version],
    ];
    await forge(
      [`INSERT INTO ledger_transfers (id, circle_id, kind, reverses) VALUES ($1, $2, 'reversal', $3)`, [nowhere, c, randomUUID()]],
      [`INSERT INTO ledger_transfers (id, circle_id, kind, reverses) VALUES ($1, $2, 'reversal', $3)`, [crossing, c, foreign]],
      [`INSERT INTO ledger_transfers (id, circle_id, kind, reverses) VALUES ($1, $2, 'reversal', $3)`, [skewed, c, t]],
      entry(skewed, pool, -60, 1000),
      entry(skewed, adj, 60, 1000),
    );
    expect(failing(await check(c)).reversals).toEqual([nowhere, crossing, skewed].sort());
  });

  it('finds a circle without its accounts', async () => {
    const c = await newCircle(false);
    expect(failing(await check(c))).toEqual({ 'accounts-complete': [c] });
  });

  it('`npm run ledger:check` checks the whole database and exits non-zero on a failure', async () => {
    const build = await buildForTests();
    const script = join(build, 'src', 'bin', 'ledger-check.js');
    const broken = await run(process.execPath, [script], { env: { ...process.env, DATABASE_URL: db.url }, timeoutMs: 60_000 });
    expect(broken.code).toBe(1);
    expect(broken.output).toMatch(/FAIL\s+transfers-balanced/);
    expect(broken.output).toMatch(/FAIL\s+accounts-complete/);
    expect(broken.output).toContain('INVARIANTS BROKEN');

    const clean = await createTestDatabase();
    try {
      const cleanSql = new pg.Pool({ connectionString: clean.url, max: 1 });
      const id = randomUUID();
      await cleanSql.query(`INSERT INTO circles (id, name, currency, currency_exponent, timezone) VALUES ($1, 'Clean', 'USD', 2, 'UTC')`, [id]);
      await cleanSql.query('SELECT ledger_open_accounts($1)', [id]);
      await cleanSql.end();
      const ok = await run(process.execPath, [script, '--json'], { env: { ...process.env, DATABASE_URL: clean.url }, timeoutMs: 60_000 });
      expect(ok.code).toBe(0);
      expect(JSON.parse(ok.output.trim().split('\n').pop() ?? '')).toMatchObject({ ok: true });
    } finally {
      await clean.drop();
    }
  }, 300_000);
});
