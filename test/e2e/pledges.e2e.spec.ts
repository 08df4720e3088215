import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { registerAndLogin } from '../support/auth.js';
import { addMember, createCircle, type TestUser } from '../support/circles.js';
import { balances, checkLedger } from '../support/ledger.js';
import { pledgeAction, postContribution, postPledge, today } from '../support/pledges.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { PledgeLapse } from '../../src/pledges/pledge-lapse.service.js';
import { authHeader } from '../support/problems.js';

const DAY = 86_400_000;

describe('pledges and manual contributions', () => {
  let t: TestApp;
  let organizer: TestUser;
  let treasurer: TestUser;
  let donor: TestUser;
  let otherDonor: TestUser;
  let member: TestUser;
  let outsider: TestUser;
  let circleId: string;


  beforeAll(async () => {
    // No Stripe keys: everything but card pledges must work.
    t = await createTestApp();
    organizer = await registerAndLogin(t);
    outsider = await registerAndLogin(t);
    circleId = await createCircle(t, organizer, { timezone: 'UTC' });
    treasurer = await addMember(t, circleId, organizer, 'treasurer');
    donor = await addMember(t, circleId, organizer, 'donor');
    otherDonor = await addMember(t, circleId, organizer, 'donor');
    member = await addMember(t, circleId, organizer, 'member');
  });
  afterAll(async () => {
    await t.close();
  });

  const listPledges = async (user: TestUser) => (await t.http().get(`/v1/circles/${circleId}/pledges`).set(authHeader(user)).expect(200)).body.items as Record<string, unknown>[];
  const listContributions = async (user: TestUser) => (await t.http().get(`/v1/circles/${circleId}/contributions`).set(authHeader(user)).expect(200)).body.items as Record<string, unknown>[];

  it('lets any member pledge by hand: active at once, with its creation in the history', async () => {
    const res = await postPledge(t, member, circleId, { amount: 2000, method: 'manual' });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ status: 'active', method: 'manual', amount: 2000, currency: 'USD', donorUserId: member.userId, cycleId: null, checkoutUrl: null });
    const history = await t.sql.query('SELECT from_status, to_status, actor, actor_user_id FROM pledge_history WHERE pledge_id = $1', [res.body.id]);
    expect(history.rows).toEqual([{ from_status: null, to_status: 'active', actor: 'user', actor_user_id: member.userId }]);
  });

  it('answers card pledges with 503 payments-not-configured when the server has no Stripe keys', async () => {
    const res = await postPledge(t, donor, circleId, { amount: 2000, method: 'card' });
    expect(res.status).toBe(503);
    expect(res.body.type).toBe('urn:arvut:problem:payments-not-configured');
    const webhook = await t.http().post('/v1/payments/stripe/webhook').set('Content-Type', 'application/json').set('Stripe-Signature', 't=1,v1=abc').send('{}');
    expect(webhook.status).toBe(503);
    expect(webhook.body.type).toBe('urn:arvut:problem:payments-not-configured');
  });

  it('requires an Idempotency-Key and replays a retried pledge', async () => {
    const missing = await t.http().post(`/v1/circles/${circleId}/pledges`).set(authHeader(donor)).send({ amount: 1000, method: 'manual' });
    expect(missing.status).toBe(400);
    expect(missing.body.type).toBe('urn:arvut:problem:idempotency-key-missing');
    const key = randomUUID();
    const first = await postPledge(t, donor, circleId, { amount: 1000, method: 'manual' }, key);
    const again = await postPledge(t, donor, circleId, { amount: 1000, method: 'manual' }, key);
    expect(again.status).toBe(201);
    expect(again.headers['idempotency-replayed']).toBe('true');
    expect(again.body.id).toBe(first.body.id);
    expect((await listPledges(donor)).filter((p) => p.id === first.body.id)).toHaveLength(1);
  });

  it.each([
    [{ amount: 20.5, method: 'manual' }, 'amount'],
    [{ amount: -5, method: 'manual' }, 'amount'],
    [{ amount: '2000', method: 'manual' }, 'amount'],
    [{ amount: 2000, method: 'crypto' }, 'method'],
    [{ amount: 2000, method: 'manual', cycleId: 'nope' }, 'cycleId'],
    [{ amount: 2000, method: 'manual', donorUserId: randomUUID() }, 'donorUserId'],
  ])('rejects pledge %j naming the field', async (body, field) => {
    const res = await t.http().post(`/v1/circles/${circleId}/pledges`).set(authHeader(donor)).set('Idempotency-Key', randomUUID()).send(body);
    expect(res.status).toBe(400);
    expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
  });

  it('answers 404 for a cycle that is not this circle\'s and for a circle you are not in', async () => {
    expect((await postPledge(t, donor, circleId, { amount: 2000, method: 'manual', cycleId: randomUUID() })).status).toBe(404);
    expect((await postPledge(t, outsider, circleId, { amount: 2000, method: 'manual' })).status).toBe(404);
  });

  it('shows donors their own pledges and treasurers and organizers all of them, with emails to them only', async () => {
    const mine = await postPledge(t, donor, circleId, { amount: 1500, method: 'manual' });
    const theirs = await postPledge(t, otherDonor, circleId, { amount: 2500, method: 'manual' });
    const seenByDonor = await listPledges(donor);
    expect(seenByDonor.map((p) => p.id)).toContain(mine.body.id);
    expect(seenByDonor.map((p) => p.id)).not.toContain(theirs.body.id);
    expect(seenByDonor.every((p) => p.donorUserId === donor.userId && !('donorEmail' in p))).toBe(true);
    for (const manager of [treasurer, organizer]) {
      const all = await listPledges(manager);
      expect(all.find((p) => p.id === theirs.body.id)).toMatchObject({ donorUserId: otherDonor.userId, donorEmail: otherDonor.email });
      expect(all.find((p) => p.id === mine.body.id)).toMatchObject({ donorEmail: donor.email });
    }
    await t.http().get(`/v1/circles/${circleId}/pledges`).set(authHeader(outsider)).expect(404);
    // One pledge: a donor reads their own; another donor gets the 404 of a pledge that does not exist.
    const own = await t.http().get(`/v1/circles/${circleId}/pledges/${mine.body.id}`).set(authHeader(donor)).expect(200);
    expect(own.body).toMatchObject({ id: mine.body.id, amount: 1500 });
    expect(own.body).not.toHaveProperty('donorEmail');
    const foreign = await t.http().get(`/v1/circles/${circleId}/pledges/${theirs.body.id}`).set(authHeader(donor)).expect(404);
    const missing = await t.http().get(`/v1/circles/${circleId}/pledges/${randomUUID()}`).set(authHeader(donor)).expect(404);
    expect({ ...foreign.body, requestId: undefined }).toEqual({ ...missing.body, requestId: undefined });
    await t.http().get(`/v1/circles/${circleId}/pledges/${theirs.body.id}`).set(authHeader(member)).expect(404);
    const byTreasurer = await t.http().get(`/v1/circles/${circleId}/pledges/${theirs.body.id}`).set(authHeader(treasurer)).expect(200);
    expect(byTreasurer.body.donorEmail).toBe(otherDonor.email);
    // Pages: a stable order without repeats.
    const page1 = await t.http().get(`/v1/circles/${circleId}/pledges?limit=2`).set(authHeader(organizer)).expect(200);
    const page2 = await t.http().get(`/v1/circles/${circleId}/pledges?limit=100&cursor=${page1.body.nextCursor}`).set(authHeader(organizer)).expect(200);
    const ids = [...page1.body.items, ...page2.body.items].map((p: { id: string }) => p.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.length).toBe((await listPledges(organizer)).length);
  });

  it('lets the donor or an organizer pause, resume and cancel; hides the pledge from another donor (404); refuses a treasurer (403)', async () => {
    const pledge = (await postPledge(t, donor, circleId, { amount: 1200, method: 'manual' })).body;
    const foreign = await pledgeAction(t, otherDonor, circleId, pledge.id, 'pause');
    expect(foreign.status).toBe(404);
    expect(foreign.body.type).toBe('urn:arvut:problem:not-found');
    expect((await pledgeAction(t, member, circleId, pledge.id, 'cancel')).status).toBe(404);
    expect((await pledgeAction(t, treasurer, circleId, pledge.id, 'pause')).status).toBe(403);
    expect((await pledgeAction(t, outsider, circleId, pledge.id, 'pause')).status).toBe(404);
    expect((await pledgeAction(t, donor, circleId, randomUUID(), 'pause')).status).toBe(404);

    // Asking for the state it is already in is a no-op, so a retried request is safe.
    expect((await pledgeAction(t, donor, circleId, pledge.id, 'resume')).body.status).toBe('active');
    expect((await pledgeAction(t, donor, circleId, pledge.id, 'pause')).body.status).toBe('paused');
    expect((await pledgeAction(t, donor, circleId, pledge.id, 'pause')).body.status).toBe('paused');
    expect((await pledgeAction(t, organizer, circleId, pledge.id, 'resume')).body.status).toBe('active');
    expect((await pledgeAction(t, organizer, circleId, pledge.id, 'cancel')).body.status).toBe('cancelled');
    const after = await pledgeAction(t, donor, circleId, pledge.id, 'pause');
    expect(after.status).toBe(409);
    expect(after.body).toMatchObject({ type: 'urn:arvut:problem:invalid-state', state: 'cancelled' });

    const history = await t.sql.query('SELECT from_status, to_status, actor_user_id FROM pledge_history WHERE pledge_id = $1 ORDER BY id', [pledge.id]);
    expect(history.rows).toEqual([
      { from_status: null, to_status: 'active', actor_user_id: donor.userId },
      { from_status: 'active', to_status: 'paused', actor_user_id: donor.userId },
      { from_status: 'paused', to_status: 'active', actor_user_id: organizer.userId },
      { from_status: 'active', to_status: 'cancelled', actor_user_id: organizer.userId },
    ]);
  });

  it('moves a pledge once when two requests race: one wins, the other sees the new state', async () => {
    const pledge = (await postPledge(t, donor, circleId, { amount: 900, method: 'manual' })).body;
    const results = await Promise.all([pledgeAction(t, donor, circleId, pledge.id, 'pause'), pledgeAction(t, organizer, circleId, pledge.id, 'pause')]);
    expect(results.map((r) => r.status)).toEqual([200, 200]);
    const rows = await t.sql.query(`SELECT count(*)::int AS n FROM pledge_history WHERE pledge_id = $1 AND to_status = 'paused'`, [pledge.id]);
    expect(rows.rows[0].n).toBe(1);
  });

  it('lets treasurers record money received by hand into the pool, and not donors (403)', async () => {
    const pledge = (await postPledge(t, donor, circleId, { amount: 2000, method: 'manual' })).body;
    const before = await balances(t, organizer, circleId);
    const res = await postContribution(t, treasurer, circleId, { pledgeId: pledge.id, amount: 2000, method: 'cashapp', receivedOn: today('UTC') });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ status: 'posted', pledgeId: pledge.id, donorUserId: donor.userId, amount: 2000, fee: 0, net: 2000, method: 'cashapp', recordedBy: treasurer.userId });
    expect(res.body.transferId).toEqual(expect.any(String));
    const after = await balances(t, organizer, circleId);
    expect(after.pool - before.pool).toBe(2000);
    expect(after.contributions - before.contributions).toBe(2000);

    const denied = await postContribution(t, donor, circleId, { pledgeId: pledge.id, amount: 2000, method: 'cash', receivedOn: today('UTC') });
    expect(denied.status).toBe(403);
    expect(denied.body.type).toBe('urn:arvut:problem:forbidden');
    expect((await postContribution(t, outsider, circleId, { amount: 2000, method: 'cash', receivedOn: today('UTC') })).status).toBe(404);
    expect((await balances(t, organizer, circleId)).pool).toBe(after.pool);

    // Donors see the contributions of their own pledges only.
    expect((await listContributions(donor)).map((c) => c.id)).toContain(res.body.id);
    expect((await listContributions(otherDonor)).map((c) => c.id)).not.toContain(res.body.id);
    expect((await listContributions(treasurer)).map((c) => c.id)).toContain(res.body.id);
  });

  it('validates contributions: a key is required, no future dates, no hand entries for card pledges or foreign pledges', async () => {
    const noKey = await t.http().post(`/v1/circles/${circleId}/contributions`).set(authHeader(treasurer)).send({ amount: 100, method: 'cash', receivedOn: today('UTC') });
    expect(noKey.status).toBe(400);
    expect(noKey.body.type).toBe('urn:arvut:problem:idempotency-key-missing');
    const future = new Date(Date.now() + 3 * DAY).toISOString().slice(0, 10);
    expect((await postContribution(t, treasurer, circleId, { amount: 100, method: 'cash', receivedOn: future })).status).toBe(400);
    expect((await postContribution(t, treasurer, circleId, { amount: 100, method: 'cash', receivedOn: '2026-02-30' })).status).toBe(400);
    expect((await postContribution(t, treasurer, circleId, { amount: 100, method: 'bitcoin', receivedOn: today('UTC') })).status).toBe(400);
    expect((await postContribution(t, treasurer, circleId, { amount: 100, method: 'cash', receivedOn: today('UTC'), pledgeId: randomUUID() })).status).toBe(404);
  });

  it('holds a contribution until a different treasurer or organizer approves it when the circle requires it', async () => {
    const read = await t.http().get(`/v1/circles/${circleId}`).set(authHeader(organizer)).expect(200);
    await t.http().patch(`/v1/circles/${circleId}`).set(authHeader(organizer)).set('If-Match', read.headers.etag as string).send({ requireSecondApproval: true }).expect(200);
    try {
      const before = await balances(t, organizer, circleId);
      const recorded = await postContribution(t, treasurer, circleId, { amount: 5000, method: 'cash', receivedOn: today('UTC') });
      expect(recorded.status).toBe(201);
      expect(recorded.body).toMatchObject({ status: 'pending', transferId: null, approvedBy: null });
      expect((await balances(t, organizer, circleId)).pool).toBe(before.pool);

      const approve = (user: TestUser) => t.http().post(`/v1/circles/${circleId}/contributions/${recorded.body.id}/approve`).set(authHeader(user)).set('Idempotency-Key', randomUUID());
      const self = await approve(treasurer);
      expect(self.status).toBe(403);
      expect((await approve(donor)).status).toBe(403);
      expect((await balances(t, organizer, circleId)).pool).toBe(before.pool);

      const approved = await approve(organizer);
      expect(approved.status).toBe(200);
      expect(approved.body).toMatchObject({ status: 'posted', approvedBy: organizer.userId, recordedBy: treasurer.userId });
      expect((await balances(t, organizer, circleId)).pool).toBe(before.pool + 5000);
      const twice = await approve(treasurer);
      expect(twice.status).toBe(409);
      expect((await balances(t, organizer, circleId)).pool).toBe(before.pool + 5000);
      const history = await t.sql.query('SELECT from_status, to_status, actor_user_id FROM contribution_history WHERE contribution_id = $1 ORDER BY id', [recorded.body.id]);
      expect(history.rows).toEqual([
        { from_status: null, to_status: 'pending', actor_user_id: treasurer.userId },
        { from_status: 'pending', to_status: 'posted', actor_user_id: organizer.userId },
      ]);
    } finally {
      const now = await t.http().get(`/v1/circles/${circleId}`).set(authHeader(organizer)).expect(200);
      await t.http().patch(`/v1/circles/${circleId}`).set(authHeader(organizer)).set('If-Match', now.headers.etag as string).send({ requireSecondApproval: false }).expect(200);
    }
  });

  it('marks a manual pledge past due after a missed week and lapsed after three, on an injected clock', async () => {
    const lapse = t.app.get(PledgeLapse);
    const pledge = (await postPledge(t, otherDonor, circleId, { amount: 1000, method: 'manual' })).body;
    const paused = (await postPledge(t, otherDonor, circleId, { amount: 700, method: 'manual' })).body;
    await pledgeAction(t, otherDonor, circleId, paused.id, 'pause');
    const statusOf = async (id: string) => (await t.sql.query('SELECT status FROM pledges WHERE id = $1', [id])).rows[0].status;
    const start = Date.now();

    await lapse.markMissed(new Date(start + 6 * DAY));
    expect(await statusOf(pledge.id)).toBe('active');
    await lapse.markMissed(new Date(start + 8 * DAY));
    expect(await statusOf(pledge.id)).toBe('past_due');
    // Running again changes nothing.
    await lapse.markMissed(new Date(start + 8 * DAY));
    expect((await t.sql.query(`SELECT count(*)::int AS n FROM pledge_history WHERE pledge_id = $1 AND to_status = 'past_due'`, [pledge.id])).rows[0].n).toBe(1);

    // Money for the missed week arrives: current again.
    expect((await postContribution(t, treasurer, circleId, { pledgeId: pledge.id, amount: 1000, method: 'cash', receivedOn: today('UTC') })).status).toBe(201);
    expect(await statusOf(pledge.id)).toBe('active');

    await lapse.markMissed(new Date(start + 15 * DAY));
    expect(await statusOf(pledge.id)).toBe('past_due');
    await lapse.markMissed(new Date(start + 22 * DAY));
    expect(await statusOf(pledge.id)).toBe('past_due');
    const result = await lapse.markMissed(new Date(start + 29 * DAY));
    expect(result.lapsed).toBeGreaterThanOrEqual(1);
    expect(await statusOf(pledge.id)).toBe('lapsed');
    // A paused pledge owes nothing for its paused weeks.
    expect(await statusOf(paused.id)).toBe('paused');

    const history = await t.sql.query(`SELECT to_status, actor, at FROM pledge_history WHERE pledge_id = $1 AND actor = 'job' ORDER BY id`, [pledge.id]);
    expect(history.rows.map((r) => r.to_status)).toEqual(['past_due', 'past_due', 'lapsed']);
    expect(new Date(history.rows[2].at).getTime()).toBe(start + 29 * DAY);
    // Lapsed is final.
    expect((await pledgeAction(t, otherDonor, circleId, pledge.id, 'resume')).status).toBe(409);
  });

  it('lapses after a configurable number of missed weeks', async () => {
    const lapse = t.app.get(PledgeLapse);
    const pledge = (await postPledge(t, member, circleId, { amount: 3000, method: 'manual' })).body;
    await lapse.markMissed(new Date(Date.now() + 8 * DAY), 1);
    expect((await t.sql.query('SELECT status FROM pledges WHERE id = $1', [pledge.id])).rows[0].status).toBe('lapsed');
  });

  it('keeps histories and money records in the database immutable, even to raw SQL', async () => {
    const pledge = (await postPledge(t, donor, circleId, { amount: 400, method: 'manual' })).body;
    const contribution = (await postContribution(t, treasurer, circleId, { pledgeId: pledge.id, amount: 400, method: 'cash', receivedOn: today('UTC') })).body;
    await expect(t.sql.query(`UPDATE pledge_history SET to_status = 'cancelled' WHERE pledge_id = $1`, [pledge.id])).rejects.toThrow(/append-only/);
    await expect(t.sql.query('DELETE FROM pledge_history WHERE pledge_id = $1', [pledge.id])).rejects.toThrow(/append-only/);
    await expect(t.sql.query('DELETE FROM contribution_history WHERE contribution_id = $1', [contribution.id])).rejects.toThrow(/append-only/);
    await expect(t.sql.query('UPDATE contributions SET amount = 1 WHERE id = $1', [contribution.id])).rejects.toThrow(/pending to posted/);
    await expect(t.sql.query(`UPDATE contributions SET status = 'pending', transfer_id = NULL WHERE id = $1`, [contribution.id])).rejects.toThrow(/pending to posted/);
    await expect(t.sql.query('DELETE FROM contributions WHERE id = $1', [contribution.id])).rejects.toThrow(/kept/);
    // A pledge's status moves only along the state machine's guarded path; the books stay clean.
    expect((await checkLedger(t, organizer, circleId)).ok).toBe(true);
  });
});
