// Amount limits (docs/ledger.md, "Amount limits"): one adjustment or contribution is at most
// the circle's limit; an adjustment above it waits for a second person; and no account's
// totals can be driven past 2^53 − 1, however many postings arrive.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import { registerAndLogin } from '../support/auth.js';
import { addMember, createCircle, type TestUser } from '../support/circles.js';
import { balances, postAdjustment } from '../support/ledger.js';
import { activateCycle, createCycle } from '../support/payouts.js';
import { postContribution } from '../support/pledges.js';
import { authHeader, expectProblem } from '../support/problems.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

const yesterday = () => new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);

describe('amount limits', () => {
  let t: TestApp;
  let organizer: TestUser;
  let treasurer: TestUser;
  let treasurer2: TestUser;
  let circleId: string;

  const pendingPath = (circle = circleId) => `/v1/circles/${circle}/ledger/pending-adjustments`;
  const askFor = (user: TestUser, body: object, key = randomUUID()) => t.http().post(pendingPath()).set(authHeader(user)).set('Idempotency-Key', key).send(body);
  const decide = (user: TestUser, id: string, move: 'approve' | 'reject', key = randomUUID()) => t.http().post(`${pendingPath()}/${id}/${move}`).set(authHeader(user)).set('Idempotency-Key', key).send({});

  async function setLimit(circle: string, maxSingleAmount: number | null): Promise<void> {
    const read = await t.http().get(`/v1/circles/${circle}`).set(authHeader(organizer)).expect(200);
    const res = await t.http().patch(`/v1/circles/${circle}`).set(authHeader(organizer)).set('If-Match', read.headers.etag as string).send({ maxSingleAmount });
    expect([res.status, res.body.settings?.maxSingleAmount]).toEqual([200, maxSingleAmount]);
  }

  beforeAll(async () => {
    t = await createTestApp();
    organizer = await registerAndLogin(t);
    circleId = await createCircle(t, organizer);
    treasurer = await addMember(t, circleId, organizer, 'treasurer');
    treasurer2 = await addMember(t, circleId, organizer, 'treasurer');
  });

  afterAll(async () => {
    await t?.close();
  });

  it('without a setting or an active cycle the limit is 1,000,000 minor units, for adjustments and contributions alike', async () => {
    const circle = await createCircle(t, organizer);
    expect((await postAdjustment(t, organizer, circle, { direction: 'in', amount: 1_000_000 })).status).toBe(201);
    const adjustment = await postAdjustment(t, organizer, circle, { direction: 'in', amount: 1_000_001 });
    expectProblem(adjustment, 422, 'amount-over-limit');
    expect(adjustment.body.limit).toBe(1_000_000);
    expect(adjustment.body.detail).toContain('pending-adjustments');
    const contribution = await postContribution(t, organizer, circle, { amount: 1_000_001, method: 'cash', receivedOn: yesterday() });
    expectProblem(contribution, 422, 'amount-over-limit');
    expect((await postContribution(t, organizer, circle, { amount: 1_000_000, method: 'cash', receivedOn: yesterday() })).status).toBe(201);
    expect((await balances(t, organizer, circle)).pool).toBe(2_000_000);
  });

  it("with an active cycle it is ten weeks of the cycle's payouts: amount × slots × 10", async () => {
    const circle = await createCircle(t, organizer);
    const cycle = await createCycle(t, circle, organizer, { amount: 2_000, slots: 3 });
    await activateCycle(t, circle, organizer, cycle.id);
    expectProblem(await postAdjustment(t, organizer, circle, { direction: 'in', amount: 60_001 }), 422, 'amount-over-limit');
    expect((await postAdjustment(t, organizer, circle, { direction: 'in', amount: 60_000 })).status).toBe(201);
  });

  it('never exceeds the largest amount the books hold, and is the setting whatever the cycle', async () => {
    const limitOf = async (circle: string): Promise<string | null> => (await t.sql.query('SELECT circle_single_amount_limit($1)::text AS l', [circle])).rows[0].l;
    const circle = await createCircle(t, organizer);
    const cycle = await createCycle(t, circle, organizer, { amount: 1_000_000_000_000_000, slots: 1 });
    await activateCycle(t, circle, organizer, cycle.id);
    // 10^15 × 1 slot × 10 weeks is past 2^53 − 1.
    expect(await limitOf(circle)).toBe('9007199254740991');
    await setLimit(circle, 5_000);
    expect(await limitOf(circle)).toBe('5000');
    expect(await limitOf(randomUUID())).toBeNull();
  });

  it('an adjustment above the limit sent with its Idempotency-Key record and COMMIT leaves nothing behind: no transfer, no record, no event', async () => {
    const circle = await createCircle(t, organizer);
    await setLimit(circle, 5_000);
    const key = randomUUID();
    const count = async (sql: string): Promise<number> => (await t.sql.query(sql, [circle])).rows[0].n;
    const res = await postAdjustment(t, organizer, circle, { direction: 'in', amount: 5_001 }, key);
    expectProblem(res, 422, 'amount-over-limit');
    expect(res.body.limit).toBe(5_000);
    expect(await count('SELECT count(*)::int AS n FROM ledger_transfers WHERE circle_id = $1')).toBe(0);
    expect(await count("SELECT count(*)::int AS n FROM outbox_events WHERE circle_id = $1 AND type = 'receipt.published'")).toBe(0);
    expect((await t.sql.query('SELECT count(*)::int AS n FROM idempotency_keys WHERE key = $1', [key])).rows[0].n).toBe(0);
    // The key is free: the same request within the limit's new value runs.
    await setLimit(circle, 6_000);
    expect((await postAdjustment(t, organizer, circle, { direction: 'in', amount: 5_001 }, key)).status).toBe(201);
  });

  it("an organizer sets the circle's own limit, and null returns to the default", async () => {
    const circle = await createCircle(t, organizer);
    await setLimit(circle, 5_000);
    expectProblem(await postAdjustment(t, organizer, circle, { direction: 'in', amount: 5_001 }), 422, 'amount-over-limit');
    expectProblem(await postContribution(t, organizer, circle, { amount: 5_001, method: 'cash', receivedOn: yesterday() }), 422, 'amount-over-limit');
    expect((await postAdjustment(t, organizer, circle, { direction: 'in', amount: 5_000 })).status).toBe(201);
    await setLimit(circle, null);
    expect((await postAdjustment(t, organizer, circle, { direction: 'in', amount: 5_001 })).status).toBe(201);
    const read = await t.http().get(`/v1/circles/${circle}`).set(authHeader(organizer)).expect(200);
    for (const bad of [0, -1, 1.5, Number.MAX_SAFE_INTEGER + 2, '5000']) {
      const res = await t.http().patch(`/v1/circles/${circle}`).set(authHeader(organizer)).set('If-Match', read.headers.etag as string).send({ maxSingleAmount: bad });
      expectProblem(res, 400, 'validation-failed');
    }
  });

  describe('an adjustment above the limit waits for a second person', () => {
    beforeAll(async () => {
      await setLimit(circleId, 10_000);
      expect((await postAdjustment(t, treasurer, circleId, { direction: 'in', amount: 10_000 })).status).toBe(201);
    });

    it('is posted once when a different treasurer or organizer approves it', async () => {
      const before = await balances(t, organizer, circleId);
      const asked = await askFor(treasurer, { direction: 'in', amount: 250_000, memo: 'cash box, spring fair' });
      expect(asked.status).toBe(201);
      expect(asked.body).toMatchObject({ status: 'pending', amount: 250_000, direction: 'in', requestedBy: treasurer.userId, decidedBy: null, transferId: null });
      expect(await balances(t, organizer, circleId)).toEqual(before);

      expectProblem(await decide(treasurer, asked.body.id, 'approve'), 409, 'second-person-required');
      const key = randomUUID();
      const approved = await decide(treasurer2, asked.body.id, 'approve', key);
      expect(approved.status).toBe(200);
      expect(approved.body).toMatchObject({ status: 'approved', decidedBy: treasurer2.userId, transferId: asked.body.id });
      // The same request again is replayed; a new one finds it decided.
      const replay = await decide(treasurer2, asked.body.id, 'approve', key);
      expect([replay.status, replay.headers['idempotency-replayed'], replay.body.transferId]).toEqual([200, 'true', asked.body.id]);
      expectProblem(await decide(organizer, asked.body.id, 'approve'), 409, 'invalid-state');
      expectProblem(await decide(organizer, asked.body.id, 'reject'), 409, 'invalid-state');

      expect((await balances(t, organizer, circleId)).pool).toBe(before.pool + 250_000);
      const { rows } = await t.sql.query(`SELECT count(*)::int AS n FROM ledger_transfers WHERE id = $1 AND kind = 'adjustment'`, [asked.body.id]);
      expect(rows[0].n).toBe(1);
      const history = await t.sql.query(`SELECT from_status, to_status, actor, actor_user_id FROM pending_adjustment_history WHERE pending_adjustment_id = $1 ORDER BY id`, [asked.body.id]);
      expect(history.rows).toEqual([
        { from_status: null, to_status: 'pending', actor: 'user', actor_user_id: treasurer.userId },
        { from_status: 'pending', to_status: 'approved', actor: 'user', actor_user_id: treasurer2.userId },
      ]);
      const read = await t.http().get(`${pendingPath()}/${asked.body.id}`).set(authHeader(organizer)).expect(200);
      expect(read.body.status).toBe('approved');
    });

    it('an outflow the pool cannot cover stays pending', async () => {
      const pool = (await balances(t, organizer, circleId)).pool;
      const asked = await askFor(treasurer, { direction: 'out', amount: pool + 1 });
      expectProblem(await decide(organizer, asked.body.id, 'approve'), 409, 'insufficient-funds');
      expect((await t.http().get(`${pendingPath()}/${asked.body.id}`).set(authHeader(organizer))).body.status).toBe('pending');
      expect((await decide(treasurer, asked.body.id, 'reject')).body.status).toBe('rejected');
    });

    it('a rejected one posts nothing and stays rejected', async () => {
      const before = await balances(t, organizer, circleId);
      const asked = await askFor(treasurer, { direction: 'in', amount: 70_000 });
      const rejected = await decide(organizer, asked.body.id, 'reject');
      expect(rejected.body).toMatchObject({ status: 'rejected', decidedBy: organizer.userId, transferId: null });
      expectProblem(await decide(treasurer2, asked.body.id, 'approve'), 409, 'invalid-state');
      expect(await balances(t, organizer, circleId)).toEqual(before);
      const list = await t.http().get(pendingPath()).set(authHeader(treasurer)).query({ limit: 2 }).expect(200);
      expect(list.body.items.map((p: { id: string }) => p.id)).toEqual([asked.body.id, expect.any(String)]);
      const next = await t.http().get(pendingPath()).set(authHeader(treasurer)).query({ limit: 2, cursor: list.body.nextCursor }).expect(200);
      expect(next.body.items.length).toBeGreaterThan(0);
    });

    it('the database keeps a decided one final and its figures fixed', async () => {
      const asked = await askFor(treasurer, { direction: 'in', amount: 30_000 });
      await decide(organizer, asked.body.id, 'reject');
      for (const change of [`status = 'pending', decided_by = NULL, decided_at = NULL`, `amount = 1`]) {
        await expect(t.sql.query(`UPDATE pending_adjustments SET ${change} WHERE id = $1`, [asked.body.id])).rejects.toMatchObject({ code: 'AR010' });
      }
      const open = await askFor(treasurer, { direction: 'in', amount: 30_000 });
      await expect(t.sql.query(`UPDATE pending_adjustments SET amount = 1 WHERE id = $1`, [open.body.id])).rejects.toMatchObject({ code: 'AR010' });
      await expect(t.sql.query(`DELETE FROM pending_adjustments WHERE id = $1`, [open.body.id])).rejects.toMatchObject({ code: 'AR010' });
      await expect(t.sql.query(`UPDATE pending_adjustment_history SET actor_user_id = $2 WHERE pending_adjustment_id = $1`, [open.body.id, organizer.userId])).rejects.toMatchObject({ code: 'AR010' });
      // Approved by the one who asked: refused by the database as well as by the service.
      await expect(t.sql.query(`UPDATE pending_adjustments SET status = 'approved', decided_by = requested_by, decided_at = now(), transfer_id = $2 WHERE id = $1`, [open.body.id, asked.body.id])).rejects.toMatchObject({ code: '23514' });
    });
  });

  describe('account totals near the largest amount the books hold', () => {
    const LARGEST = BigInt(Number.MAX_SAFE_INTEGER);

    /** Moves an account's totals as no request can (a superuser, triggers off), to set the scene; undone afterwards. */
    async function forceTotals(circle: string, kind: string, column: 'debit_total' | 'credit_total', value: bigint): Promise<bigint> {
      const client: pg.PoolClient = await t.sql.connect();
      try {
        await client.query('BEGIN');
        await client.query('SET LOCAL session_replication_role = replica');
        const { rows } = await client.query(`SELECT ${column}::text AS v FROM ledger_accounts WHERE circle_id = $1 AND kind = $2`, [circle, kind]);
        await client.query(`UPDATE ledger_accounts SET ${column} = $3 WHERE circle_id = $1 AND kind = $2`, [circle, kind, value.toString()]);
        await client.query('COMMIT');
        return BigInt(rows[0].v);
      } catch (error) {
        await client.query('ROLLBACK');
        throw error;
      } finally {
        client.release();
      }
    }

    it('a posting that would take them past 2^53 − 1 is a 422 problem and changes nothing', async () => {
      const circle = await createCircle(t, organizer);
      await setLimit(circle, Number.MAX_SAFE_INTEGER);
      expect((await postAdjustment(t, organizer, circle, { direction: 'in', amount: 500 })).status).toBe(201);
      // Not even a superuser can take them near bigint's own end (2^63 − 1), where the sum would overflow.
      await expect(forceTotals(circle, 'pool', 'debit_total', 2n ** 63n - 10n)).rejects.toMatchObject({ code: '23514', constraint: 'ck_ledger_accounts_totals_bounded' });
      const was = await forceTotals(circle, 'pool', 'debit_total', LARGEST - 100n);
      try {
        const over = await postAdjustment(t, organizer, circle, { direction: 'in', amount: 101 });
        expectProblem(over, 422, 'constraint-violated');
        expect(over.body.detail).toContain('9007199254740991');
        const huge = await postContribution(t, organizer, circle, { amount: Number.MAX_SAFE_INTEGER, method: 'cash', receivedOn: yesterday() });
        expectProblem(huge, 422, 'constraint-violated');
        const { rows } = await t.sql.query(`SELECT debit_total::text AS d FROM ledger_accounts WHERE circle_id = $1 AND kind = 'pool'`, [circle]);
        expect(rows[0].d).toBe((LARGEST - 100n).toString());
      } finally {
        await forceTotals(circle, 'pool', 'debit_total', was);
      }
    });

    it('amounts above 2^53 − 1 are refused before they reach the books', async () => {
      for (const amount of [Number.MAX_SAFE_INTEGER + 1, 1e300, 2 ** 63]) {
        expectProblem(await postAdjustment(t, organizer, circleId, { direction: 'in', amount }), 400, 'validation-failed');
        expectProblem(await askFor(organizer, { direction: 'in', amount }), 400, 'validation-failed');
      }
    });
  });
});
