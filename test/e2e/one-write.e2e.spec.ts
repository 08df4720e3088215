// An adjustment tried in one write (docs/idempotency.md, "One write"): the fresh-key claim,
// the role check, the limit check, the key's record, the posting and COMMIT leave together;
// every refusal aborts that transaction in PostgreSQL, and the ordinary path then gives the
// request the answer it always had, leaving nothing behind from the attempt.
import { afterAll, afterEach, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { SessionsService } from '../../src/auth/sessions.service.js';
import { CircleAccess } from '../../src/circles/circle-access.service.js';
import { registerAndLogin } from '../support/auth.js';
import { addMember, createCircle, type TestUser } from '../support/circles.js';
import { balances, postAdjustment } from '../support/ledger.js';
import { authHeader, expectProblem } from '../support/problems.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

const SEED = 1; // any seed: the calls below only need the same one

describe('an adjustment in one write', () => {
  let t: TestApp;
  let organizer: TestUser;
  let treasurer: TestUser;
  let member: TestUser;
  let circleId: string;
  let ordinary: jest.SpiedFunction<CircleAccess['require']>;
  let ahead: jest.SpiedFunction<CircleAccess['requireAhead']>;
  let sessionChecks: jest.SpiedFunction<SessionsService['isActiveInCircle']>;
  let sessionChecksNow: jest.SpiedFunction<SessionsService['isActive']>;

  const transfers = async (circle = circleId): Promise<number> => Number((await t.sql.query('SELECT count(*) AS n FROM ledger_transfers WHERE circle_id = $1', [circle])).rows[0].n);

  beforeAll(async () => {
    t = await createTestApp();
    organizer = await registerAndLogin(t);
    circleId = await createCircle(t, organizer);
    treasurer = await addMember(t, circleId, organizer, 'treasurer');
    member = await addMember(t, circleId, organizer, 'member');
    const access = t.app.get(CircleAccess);
    ordinary = jest.spyOn(access, 'require');
    ahead = jest.spyOn(access, 'requireAhead');
    const sessions = t.app.get(SessionsService);
    sessionChecks = jest.spyOn(sessions, 'isActiveInCircle');
    sessionChecksNow = jest.spyOn(sessions, 'isActive');
  });

  afterEach(() => {
    for (const spy of [ordinary, ahead, sessionChecks, sessionChecksNow]) spy.mockClear();
  });

  afterAll(async () => {
    await t?.close();
  });

  it('goes through without the ordinary path when nothing refuses it', async () => {
    const before = await transfers();
    const res = await postAdjustment(t, treasurer, circleId, { direction: 'in', amount: 250 }).expect(201);
    expect(res.body).toMatchObject({ kind: 'adjustment', currency: 'USD' });
    expect([ahead.mock.calls.length, ordinary.mock.calls.length]).toEqual([1, 0]);
    // The session was checked by the write's first statement, not by the guard.
    expect([sessionChecks.mock.calls.length, sessionChecksNow.mock.calls.length]).toEqual([0, 0]);
    expect(await transfers()).toBe(before + 1);
    const record = await t.sql.query('SELECT response_transfer_id FROM idempotency_keys WHERE principal_id = $1 AND response_transfer_id = $2', [treasurer.userId, res.body.id]);
    expect(record.rowCount).toBe(1);
  });

  it('a role below the route’s: refused in SQL, then 403 from the ordinary path, nothing posted', async () => {
    const before = await transfers();
    const res = await postAdjustment(t, member, circleId, { direction: 'in', amount: 250 });
    expectProblem(res, 403, 'forbidden');
    expect([ahead.mock.calls.length, ordinary.mock.calls.length]).toEqual([1, 1]);
    expect(await transfers()).toBe(before);
    expect((await t.sql.query('SELECT count(*) AS n FROM idempotency_keys WHERE principal_id = $1', [member.userId])).rows[0].n).toBe('0');
  });

  it('a session that has ended: the guard’s 401, before a missing key’s 400, nothing posted', async () => {
    const leaving = await addMember(t, circleId, organizer, 'treasurer');
    await t.http().post('/v1/auth/logout').set(authHeader(leaving)).expect(204);
    const before = await transfers();
    const res = await postAdjustment(t, leaving, circleId, { direction: 'in', amount: 250 });
    expectProblem(res, 401, 'unauthenticated');
    expect(res.headers['www-authenticate']).toBe('Bearer error="invalid_token"');
    const keyless = await t.http().post(`/v1/circles/${circleId}/ledger/adjustments`).set(authHeader(leaving)).send({ direction: 'in', amount: 250 });
    expectProblem(keyless, 401, 'unauthenticated');
    expect(await transfers()).toBe(before);
    expect((await t.sql.query('SELECT count(*) AS n FROM idempotency_keys WHERE principal_id = $1', [leaving.userId])).rows[0].n).toBe('0');
  });

  it('someone outside the circle: 404, nothing posted', async () => {
    const stranger = await registerAndLogin(t);
    const before = await transfers();
    expectProblem(await postAdjustment(t, stranger, circleId, { direction: 'in', amount: 250 }), 404, 'not-found');
    expect(await transfers()).toBe(before);
  });

  it('the same key again: replayed byte for byte, posted once', async () => {
    const key = randomUUID();
    const first = await postAdjustment(t, treasurer, circleId, { direction: 'in', amount: 75 }, key).expect(201);
    const before = await transfers();
    const again = await postAdjustment(t, treasurer, circleId, { direction: 'in', amount: 75 }, key).expect(201);
    expect(again.headers['idempotency-replayed']).toBe('true');
    expect(again.text).toBe(first.text);
    expect(await transfers()).toBe(before);
    const reused = await postAdjustment(t, treasurer, circleId, { direction: 'in', amount: 76 }, key);
    expectProblem(reused, 422, 'idempotency-key-reused');
    expect(await transfers()).toBe(before);
  });

  it('over the limit or more than the pool holds: the ordinary answers, the books unchanged', async () => {
    const circle = await createCircle(t, organizer);
    const over = await postAdjustment(t, organizer, circle, { direction: 'in', amount: 1_000_001 });
    expectProblem(over, 422, 'amount-over-limit');
    expectProblem(await postAdjustment(t, organizer, circle, { direction: 'out', amount: 1 }), 409, 'insufficient-funds');
    expect(await transfers(circle)).toBe(0);
    expect((await balances(t, organizer, circle)).pool).toBe(0);
  });

  describe('the statements that refuse', () => {
    it('session_require_live aborts (AR014) unless exactly one live session matched', async () => {
      await t.sql.query('SELECT session_require_live(1)');
      for (const found of [0, 2, null]) await expect(t.sql.query('SELECT session_require_live($1)', [found])).rejects.toMatchObject({ code: 'AR014' });
    });

    it('circle_access_require returns the access row for an allowed role and aborts (AR013) for any other', async () => {
      const allowed = await t.sql.query('SELECT * FROM circle_access_require($1, $2, $3, $4)', [circleId, treasurer.userId, ['organizer', 'treasurer'], SEED]);
      expect(allowed.rows).toEqual([{ found: true, role: 'treasurer', currency: 'USD', currency_exponent: 2, timezone: expect.any(String), receipt_visibility: expect.any(String) }]);
      await expect(t.sql.query('SELECT * FROM circle_access_require($1, $2, $3, $4)', [circleId, member.userId, ['organizer', 'treasurer'], SEED])).rejects.toMatchObject({ code: 'AR013' });
      await expect(t.sql.query('SELECT * FROM circle_access_require($1, $2, $3, $4)', [randomUUID(), treasurer.userId, ['treasurer'], SEED])).rejects.toMatchObject({ code: 'AR013' });
    });

    it('idempotency_claim_fresh aborts (AR012) for a key in flight or with a live record, and clears an expired one', async () => {
      const principal = randomUUID();
      const first = await t.sql.connect();
      const second = await t.sql.connect();
      try {
        await first.query('BEGIN');
        await first.query('SELECT idempotency_claim_fresh($1, $2, $3)', [principal, 'k-flight', SEED]);
        await second.query('BEGIN');
        await expect(second.query('SELECT idempotency_claim_fresh($1, $2, $3)', [principal, 'k-flight', SEED])).rejects.toMatchObject({ code: 'AR012' });
        await second.query('ROLLBACK');
        await first.query('ROLLBACK');
      } finally {
        first.release();
        second.release();
      }
      const record = `INSERT INTO idempotency_keys (principal_id, key, request_hash, response_status, response_body, expires_at) VALUES ($1, $2, repeat('a', 64), 201, '{}', now() + $3::interval)`;
      await t.sql.query(record, [principal, 'k-live', '1 hour']);
      await expect(t.sql.query('SELECT idempotency_claim_fresh($1, $2, $3)', [principal, 'k-live', SEED])).rejects.toMatchObject({ code: 'AR012' });
      await t.sql.query(record, [principal, 'k-old', '-1 hour']);
      await t.sql.query('SELECT idempotency_claim_fresh($1, $2, $3)', [principal, 'k-old', SEED]);
      expect((await t.sql.query('SELECT key FROM idempotency_keys WHERE principal_id = $1 ORDER BY key', [principal])).rows).toEqual([{ key: 'k-live' }]);
    });
  });
});
