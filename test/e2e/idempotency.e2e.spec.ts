import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { registerAndLogin } from '../support/auth.js';
import { createCircle, type TestUser } from '../support/circles.js';
import { balances, postAdjustment } from '../support/ledger.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { IdempotencyStore, recordTransferAhead, runIdempotently } from '../../src/common/idempotency/idempotency-store.js';
import { TransactionHost } from '../../src/database/transaction-host.js';

const LOCK_SEED = 7253470010; // src/common/idempotency/idempotency-store.ts

describe('Idempotency-Key on money-moving POSTs', () => {
  let t: TestApp;
  let organizer: TestUser;
  let circleId: string;
  const transferCount = async (): Promise<number> => (await t.sql.query('SELECT count(*)::int AS n FROM ledger_transfers WHERE circle_id = $1', [circleId])).rows[0].n;

  beforeAll(async () => {
    t = await createTestApp();
    organizer = await registerAndLogin(t);
    circleId = await createCircle(t, organizer);
  });
  afterAll(async () => {
    await t.close();
  });

  it('replays the stored response for the same key and body, moving money once', async () => {
    const key = randomUUID();
    const first = await postAdjustment(t, organizer, circleId, { direction: 'in', amount: 1200, memo: 'a' }, key).expect(201);
    expect(first.headers['idempotency-replayed']).toBeUndefined();
    const before = await transferCount();
    // Same JSON with its members in another order is the same request.
    const replay = await postAdjustment(t, organizer, circleId, { memo: 'a', amount: 1200, direction: 'in' } as never, key).expect(201);
    expect(replay.headers['idempotency-replayed']).toBe('true');
    expect(replay.text).toBe(first.text);
    // The draft's structured-field form ("…") names the same key.
    const quoted = await postAdjustment(t, organizer, circleId, { direction: 'in', amount: 1200, memo: 'a' }, `"${key}"`).expect(201);
    expect(quoted.text).toBe(first.text);
    expect(await transferCount()).toBe(before);
    expect((await balances(t, organizer, circleId)).pool).toBe(1200);
  });

  it('refuses the same key with a different body (422) and changes nothing', async () => {
    const key = randomUUID();
    await postAdjustment(t, organizer, circleId, { direction: 'in', amount: 10 }, key).expect(201);
    const before = await balances(t, organizer, circleId);
    const reused = await postAdjustment(t, organizer, circleId, { direction: 'in', amount: 11 }, key).expect(422);
    expect(reused.body).toMatchObject({ type: 'urn:arvut:problem:idempotency-key-reused', status: 422 });
    // Same body on another path is another request too.
    const other = await createCircle(t, organizer);
    await postAdjustment(t, organizer, other, { direction: 'in', amount: 10 }, key).expect(422);
    expect(await balances(t, organizer, circleId)).toEqual(before);
  });

  it('answers 409 while a request with the same key is in flight', async () => {
    const key = randomUUID();
    const holder = new pg.Client({ connectionString: t.databaseUrl });
    await holder.connect();
    try {
      await holder.query('BEGIN');
      await holder.query("SELECT pg_advisory_xact_lock(hashtextextended($1::text || ':' || $2::text, $3::bigint))", [organizer.userId, key, LOCK_SEED]);
      const busy = await postAdjustment(t, organizer, circleId, { direction: 'in', amount: 5 }, key).expect(409);
      expect(busy.body.type).toBe('urn:arvut:problem:idempotency-key-in-flight');
      expect(busy.headers['retry-after']).toBe('1');
      await holder.query('COMMIT');
    } finally {
      await holder.end();
    }
    // Once it is no longer in flight, the key works.
    await postAdjustment(t, organizer, circleId, { direction: 'in', amount: 5 }, key).expect(201);
  });

  it('answers 409 to a retry racing a slow first request, then replays once it finished', async () => {
    const key = randomUUID();
    const holder = new pg.Client({ connectionString: t.databaseUrl });
    await holder.connect();
    try {
      // Hold the pool's row lock so the first request waits inside its posting.
      await holder.query('BEGIN');
      await holder.query(`SELECT 1 FROM ledger_accounts WHERE circle_id = $1 AND kind = 'pool' FOR UPDATE`, [circleId]);
      const firstDone = postAdjustment(t, organizer, circleId, { direction: 'in', amount: 7 }, key).then((r) => r);
      // In flight: it holds the key's lock and waits for the pool row.
      await waitFor(async () => (await t.sql.query(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`)).rows[0].n > 0);
      const racing = await postAdjustment(t, organizer, circleId, { direction: 'in', amount: 7 }, key).expect(409);
      expect(racing.body.type).toBe('urn:arvut:problem:idempotency-key-in-flight');
      await holder.query('COMMIT');
      const done = await firstDone;
      expect(done.status).toBe(201);
      const replay = await postAdjustment(t, organizer, circleId, { direction: 'in', amount: 7 }, key).expect(201);
      expect(replay.headers['idempotency-replayed']).toBe('true');
      expect(replay.text).toBe(done.text);
    } finally {
      await holder.end();
    }
  });

  it('requires the header (400) and a well-formed key', async () => {
    const missing = await t
      .http()
      .post(`/v1/circles/${circleId}/ledger/adjustments`)
      .set('Authorization', `Bearer ${organizer.accessToken}`)
      .send({ direction: 'in', amount: 1 })
      .expect(400);
    expect(missing.body.type).toBe('urn:arvut:problem:idempotency-key-missing');
    for (const bad of ['x'.repeat(256), 'naïve-key', '']) {
      const res = await postAdjustment(t, organizer, circleId, { direction: 'in', amount: 1 }, bad);
      expect(res.status).toBe(400);
    }
    await postAdjustment(t, organizer, circleId, { direction: 'in', amount: 1 }, 'k'.repeat(255)).expect(201);
  });

  it('keeps keys per caller: another user may use the same key', async () => {
    const key = randomUUID();
    const other = await registerAndLogin(t);
    const theirCircle = await createCircle(t, other);
    await postAdjustment(t, organizer, circleId, { direction: 'in', amount: 3 }, key).expect(201);
    const theirs = await postAdjustment(t, other, theirCircle, { direction: 'in', amount: 3 }, key).expect(201);
    expect(theirs.headers['idempotency-replayed']).toBeUndefined();
  });

  it('does not record a failed request: the key can be retried once it would succeed', async () => {
    const c = await createCircle(t, organizer);
    const key = randomUUID();
    await postAdjustment(t, organizer, c, { direction: 'out', amount: 500 }, key).expect(409);
    await postAdjustment(t, organizer, c, { direction: 'in', amount: 800 }).expect(201);
    const later = await postAdjustment(t, organizer, c, { direction: 'out', amount: 500 }, key).expect(201);
    expect(later.headers['idempotency-replayed']).toBeUndefined();
    expect((await balances(t, organizer, c)).pool).toBe(300);
  });

  it('stores the key with the response for at least 24 hours, then lets a purge remove it', async () => {
    const key = randomUUID();
    await postAdjustment(t, organizer, circleId, { direction: 'in', amount: 2 }, key).expect(201);
    const { rows } = await t.sql.query('SELECT response_status, expires_at - created_at >= interval \'24 hours\' AS long_enough FROM idempotency_keys WHERE principal_id = $1 AND key = $2', [organizer.userId, key]);
    expect(rows[0]).toEqual({ response_status: 201, long_enough: true });
    await t.sql.query(`UPDATE idempotency_keys SET expires_at = now() - interval '1 second' WHERE principal_id = $1 AND key = $2`, [organizer.userId, key]);
    // An expired key is a new key.
    const fresh = await postAdjustment(t, organizer, circleId, { direction: 'in', amount: 3 }, key).expect(201);
    expect(fresh.headers['idempotency-replayed']).toBeUndefined();
    await t.sql.query(`UPDATE idempotency_keys SET expires_at = now() - interval '1 second' WHERE principal_id = $1 AND key = $2`, [organizer.userId, key]);
    const purged = await t.sql.query('SELECT idempotency_purge() AS n');
    expect(purged.rows[0].n).toBeGreaterThanOrEqual(1);
    expect((await t.sql.query('SELECT count(*)::int AS n FROM idempotency_keys WHERE key = $1', [key])).rows[0].n).toBe(0);
  });

  it('keeps an adjustment\'s record as its transfer and replays it as first answered, even after the transfer was reversed', async () => {
    const key = randomUUID();
    const first = await postAdjustment(t, organizer, circleId, { direction: 'in', amount: 700, memo: 'kept as a transfer' }, key).expect(201);
    const row = (await t.sql.query('SELECT response_body, response_transfer_id, response_status FROM idempotency_keys WHERE principal_id = $1 AND key = $2', [organizer.userId, key])).rows[0];
    // The record was sent ahead of the posting (the posting travelled with COMMIT): it names the transfer.
    expect(row).toEqual({ response_body: null, response_transfer_id: first.body.id, response_status: 201 });
    await t
      .http()
      .post(`/v1/circles/${circleId}/ledger/transfers/${first.body.id}/reversal`)
      .set('Authorization', `Bearer ${organizer.accessToken}`)
      .set('Idempotency-Key', randomUUID())
      .send({})
      .expect(201);
    const replay = await postAdjustment(t, organizer, circleId, { direction: 'in', amount: 700, memo: 'kept as a transfer' }, key).expect(201);
    expect(replay.headers['idempotency-replayed']).toBe('true');
    // Byte for byte the first answer: reversedBy stays null, balances are those after the posting.
    expect(replay.text).toBe(first.text);
  });

  it('holds exactly one of a stored body and a named transfer', async () => {
    const insert = (body: string | null, transferId: string | null) =>
      t.sql.query(
        `INSERT INTO idempotency_keys (principal_id, key, request_hash, response_status, response_body, response_transfer_id, expires_at)
         VALUES ($1, $2, repeat('a', 64), 201, $3, $4, now() + interval '1 day')`,
        [organizer.userId, randomUUID(), body, transferId],
      );
    await expect(insert(null, null)).rejects.toMatchObject({ constraint: 'ck_idempotency_keys_response' });
    await expect(insert('{}', randomUUID())).rejects.toMatchObject({ constraint: 'ck_idempotency_keys_response' });
    await insert('{}', null);
    await insert(null, randomUUID());
  });

  it('a record sent ahead that meets a first request committed meanwhile rolls its transaction back and answers 409', async () => {
    const tx = t.app.get(TransactionHost);
    const key = randomUUID();
    const before = await transferCount();
    const attempt = tx.run(() =>
      runIdempotently(
        new IdempotencyStore(tx),
        organizer.userId,
        key,
        'b'.repeat(64),
        async () => {
          // The first request with this key commits after this one's claim saw no row.
          await t.sql.query(
            `INSERT INTO idempotency_keys (principal_id, key, request_hash, response_status, response_body, expires_at) VALUES ($1, $2, $3, 201, '{}', now() + interval '1 day')`,
            [organizer.userId, key, 'b'.repeat(64)],
          );
          expect(recordTransferAhead(randomUUID())).toBe(true);
          await tx.queryAndCommit("SELECT ledger_post(gen_random_uuid(), $1, 'adjustment', '[{\"account\":\"pool\",\"amount\":5},{\"account\":\"adjustments\",\"amount\":-5}]'::jsonb, NULL, NULL, '{\"direction\":\"in\"}'::jsonb)", [circleId]);
          return { result: undefined, record: () => ({ status: 201, body: '', location: null }) };
        },
        201,
      ),
    );
    await expect(attempt).rejects.toMatchObject({ code: 'idempotency-key-in-flight' });
    expect(await transferCount()).toBe(before);
  });

  it('documents the required header in the OpenAPI contract', async () => {
    const doc = (await t.http().get('/docs/openapi.json').expect(200)).body;
    const op = doc.paths['/v1/circles/{circleId}/ledger/adjustments'].post;
    expect(op.parameters).toEqual(expect.arrayContaining([expect.objectContaining({ name: 'Idempotency-Key', in: 'header', required: true })]));
    expect(Object.keys(op.responses)).toEqual(expect.arrayContaining(['400', '409', '422']));
  });
});

async function waitFor(condition: () => Promise<boolean>, timeoutMs = 5000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > until) throw new Error('condition not reached in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}
