// Invariant 8 in the database itself, with raw SQL only: receipts cannot be changed or
// removed; with the guards switched off a changed or removed receipt is found by the ledger
// check; and concurrent postings in one circle still produce one gap-free chain.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomBytes, randomUUID } from 'node:crypto';
import pg from 'pg';
import { runLedgerCheck } from '../../src/ledger/ledger-check.js';
import { canonicalReceiptJson, type ReceiptFields } from '../../src/ledger/receipt-canonical.js';
import { createTestDatabase } from '../support/test-app.js';

describe('receipt chain guards (invariant 8)', () => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let sql: pg.Pool;

  const newCircle = async (): Promise<string> => {
    const id = randomUUID();
    await sql.query(`INSERT INTO circles (id, name, currency, currency_exponent, timezone) VALUES ($1, 'Chain test', 'USD', 2, 'UTC')`, [id]);
    await sql.query('SELECT ledger_open_accounts($1)', [id]);
    return id;
  };
  const post = (client: pg.Pool | pg.PoolClient, circleId: string, entries: [string, number][], kind = 'adjustment') =>
    client.query('SELECT ledger_post($1, $2, $3, $4::jsonb)', [randomUUID(), circleId, kind, JSON.stringify(entries.map(([account, amount]) => ({ account, amount })))]);
  const receipts = async (circleId: string): Promise<{ id: string; seq: string; transfer_id: string }[]> =>
    (await sql.query('SELECT id, seq, transfer_id FROM receipts WHERE circle_id = $1 ORDER BY seq', [circleId])).rows;
  const check = async (circleId: string) => {
    const result = await runLedgerCheck(async (text, params) => (await sql.query(text, params)).rows, circleId);
    return Object.fromEntries(result.results.map((r) => [r.name, r.offendingIds]));
  };
  /** Runs one statement in its own transaction; the SQLSTATE it failed with, or undefined. */
  const failure = async (text: string, params: unknown[] = []): Promise<string | undefined> => {
    const client = await sql.connect();
    try {
      await client.query('BEGIN');
      await client.query(text, params);
      await client.query('COMMIT');
      return undefined;
    } catch (error) {
      await client.query('ROLLBACK');
      return (error as { code?: string }).code;
    } finally {
      client.release();
    }
  };
  /** Runs statements as a replication session would: triggers, including the guards, do not fire. */
  const tamper = async (...statements: [string, unknown[]][]): Promise<void> => {
    const client = await sql.connect();
    try {
      await client.query('SET session_replication_role = replica');
      for (const [text, params] of statements) await client.query(text, params);
    } finally {
      await client.query('RESET session_replication_role');
      client.release();
    }
  };

  beforeAll(async () => {
    db = await createTestDatabase();
    sql = new pg.Pool({ connectionString: db.url, max: 12 });
  });
  afterAll(async () => {
    await sql.end();
    await db.drop();
  });

  it('writes the same canonical JSON in SQL as the documented JavaScript twin, for any text', async () => {
    const texts = ['T.', 'Ngh "7" \\ é', 'tab\there\nline\r\u0001\u001f\u007f', 'emoji 🌻 ✓', 'sep \u2028 \u2029 </script>', '\'quoted\' & <b>', '€ ¥ ₪ ߷ 中文'];
    for (const [i, text] of texts.entries()) {
      const r: ReceiptFields = {
        id: randomUUID(), circleId: randomUUID(), seq: 9_007_199_254_740_991, kind: 'payout', amount: 17500, currency: 'USD', direction: 'out',
        method: 'cash', date: '2026-03-06', cycleId: randomUUID(), week: 3, aliasDigest: i % 2 ? null : randomBytes(32).toString('hex'), donor: text,
        donorDigest: i % 2 ? randomBytes(32).toString('hex') : null, reverses: null,
        // Hashed only when present (grants): both twins must leave the key out when it is null.
        category: i % 3 === 0 ? 'medical' : null,
      };
      const { rows } = await sql.query(
        `SELECT receipt_canonical(ROW($1::uuid, $2::uuid, $3::bigint, gen_random_uuid(), $4, $5::bigint, $6, $7, $8, $9::date, $10::uuid, $11::smallint, decode($12, 'hex'), $13, decode($14, 'hex'), $15::uuid, ''::bytea, ''::bytea, $16)::receipts) AS text`,
        [r.id, r.circleId, r.seq, r.kind, r.amount, r.currency, r.direction, r.method, r.date, r.cycleId, r.week, r.aliasDigest, r.donor, r.donorDigest, r.reverses, r.category],
      );
      expect(rows[0].text).toBe(canonicalReceiptJson(r));
    }
  });

  it('refuses to update, delete or truncate a receipt, or to move a chain head back', async () => {
    const circleId = await newCircle();
    await post(sql, circleId, [['pool', 500], ['adjustments', -500]]);
    const [receipt] = await receipts(circleId);
    expect(await failure('UPDATE receipts SET amount = 1 WHERE id = $1', [receipt.id])).toBe('AR002');
    expect(await failure('UPDATE receipts SET donor = $2 WHERE id = $1', [receipt.id, 'T.'])).toBe('AR002');
    expect(await failure('DELETE FROM receipts WHERE id = $1', [receipt.id])).toBe('AR002');
    expect(await failure('TRUNCATE receipts CASCADE')).toBe('AR002');
    expect(await failure('UPDATE receipt_heads SET seq = 0 WHERE circle_id = $1', [circleId])).toBe('AR002');
    expect(await failure('DELETE FROM receipt_heads WHERE circle_id = $1', [circleId])).toBe('AR002');
    expect((await check(circleId))['receipt-chain']).toEqual([]);
  });

  it('finds a changed receipt, a removed one and a posting left without its receipt when the guards are bypassed', async () => {
    const circleId = await newCircle();
    for (let i = 1; i <= 6; i++) await post(sql, circleId, [['pool', 100 * i], ['adjustments', -100 * i]]);
    const before = await receipts(circleId);
    expect(await check(circleId)).toMatchObject({ 'receipt-chain': [], 'receipts-complete': [] });

    await tamper(['UPDATE receipts SET amount = amount + 1 WHERE id = $1', [before[1].id]], ['DELETE FROM receipts WHERE id = $1', [before[3].id]]);
    const found = await check(circleId);
    // seq 2 no longer hashes to its hash; seq 5 follows a gap; the transfer of seq 4 has no receipt.
    expect(found['receipt-chain'].sort()).toEqual([before[1].id, before[4].id].sort());
    expect(found['receipts-complete']).toEqual([before[3].transfer_id]);

    // Removing the last receipt leaves the head pointing past the chain: the circle is named.
    await tamper(['DELETE FROM receipts WHERE id = $1', [before[5].id]]);
    expect((await check(circleId))['receipt-chain']).toContain(circleId);

    // An alias slipped in beside a receipt that was published without one: it matches no digest.
    expect((await check(circleId))['receipt-aliases']).toEqual([]);
    await tamper([
      `INSERT INTO receipt_aliases (receipt_id, circle_id, recipient_id, alias, salt) VALUES ($1, $2, gen_random_uuid(), 'Not published', uuid_send(gen_random_uuid()))`,
      [before[0].id, circleId],
    ]);
    expect((await check(circleId))['receipt-aliases']).toEqual([before[0].id]);
    // Likewise a donor name no digest was made from.
    await tamper([
      `INSERT INTO receipt_donor_names (receipt_id, circle_id, user_id, name, salt) VALUES ($1, $2, gen_random_uuid(), 'Not published', uuid_send(gen_random_uuid()))`,
      [before[1].id, circleId],
    ]);
    expect((await check(circleId))['receipt-donor-names']).toEqual([before[1].id]);
  });

  it('keeps one gap-free chain per circle under concurrent postings, also several in one transaction', async () => {
    const [a, b] = [await newCircle(), await newCircle()];
    await post(sql, a, [['pool', 1_000_000], ['adjustments', -1_000_000]]);
    const single = (circleId: string) => post(sql, circleId, [['pool', 7], ['adjustments', -7]]);
    // Two postings on different accounts in one transaction: without the head locked up front
    // they would deadlock with each other (accounts first, then the head, in opposite orders).
    const pair = async (circleId: string, flip: boolean): Promise<void> => {
      const client = await sql.connect();
      try {
        await client.query('BEGIN');
        const first: [string, number][] = [['fees', 3], ['contributions', -3]];
        const second: [string, number][] = [['pool', 5], ['adjustments', -5]];
        await post(client, circleId, flip ? second : first);
        await post(client, circleId, flip ? first : second);
        await client.query('COMMIT');
      } catch (error) {
        await client.query('ROLLBACK');
        throw error;
      } finally {
        client.release();
      }
    };
    const work: Promise<unknown>[] = [];
    for (let i = 0; i < 30; i++) work.push(single(a), single(b), pair(a, i % 2 === 0), pair(b, i % 2 === 1));
    await Promise.all(work);

    for (const circleId of [a, b]) {
      const seqs = (await receipts(circleId)).map((r) => Number(r.seq));
      const expected = circleId === a ? 1 + 30 + 60 : 30 + 60;
      expect(seqs).toEqual(Array.from({ length: expected }, (_, i) => i + 1));
      expect(await check(circleId)).toMatchObject({ 'receipt-chain': [], 'receipts-complete': [] });
    }
  });
});
