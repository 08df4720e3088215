// The payout state machine through HTTP: legal moves, illegal ones (409 naming the state),
// money that cannot be covered, acknowledgement links, roles and validation.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createHash, randomUUID } from 'node:crypto';
import { registerAndLogin } from '../support/auth.js';
import { addMember, createCircle, type TestUser } from '../support/circles.js';
import { balances, checkLedger, postAdjustment } from '../support/ledger.js';
import {
  acknowledgementToken,
  activateCycle,
  addRecipients,
  allPayouts,
  createCycle,
  generateWeek,
  issueAcknowledgementLink,
  payoutAction,
  returnPayout,
  sendPayout,
} from '../support/payouts.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { authHeader } from '../support/problems.js';

const AMOUNT = 17500;
const DAY = 86_400_000;

describe('payout states', () => {
  let t: TestApp;
  let organizer: TestUser;
  let treasurer: TestUser;
  let donor: TestUser;
  let outsider: TestUser;
  let circleId: string;
  let cycleId: string;
  let recipients: string[];
  let week1: string[];

  const getPayout = (id: string) => t.http().get(`/v1/circles/${circleId}/payouts/${id}`).set(authHeader(treasurer)).expect(200);
  const transferCount = async () => (await t.sql.query('SELECT count(*)::int AS n FROM ledger_transfers WHERE circle_id = $1', [circleId])).rows[0].n as number;
  const expectState = (body: { type: string; state: string; detail: string }, state: string) => {
    expect(body.type).toBe('urn:arvut:problem:invalid-state');
    expect(body.state).toBe(state);
    expect(body.detail).toContain(state);
  };

  beforeAll(async () => {
    t = await createTestApp();
    organizer = await registerAndLogin(t);
    outsider = await registerAndLogin(t);
    circleId = await createCircle(t, organizer);
    treasurer = await addMember(t, circleId, organizer, 'treasurer');
    donor = await addMember(t, circleId, organizer, 'donor');
    recipients = await addRecipients(t, circleId, organizer, 3);
    cycleId = (await createCycle(t, circleId, organizer, { slots: 3, weeks: 4 })).id;
    await activateCycle(t, circleId, organizer, cycleId);
    week1 = (await generateWeek(t, circleId, organizer, cycleId, 1).expect(201)).body.payouts.map((p: { id: string }) => p.id);
  });
  afterAll(async () => {
    await t.close();
  });

  it('approves a scheduled payout once; a second approval is 409 naming the state', async () => {
    const res = await payoutAction(t, circleId, organizer, week1[0], 'approve').expect(200);
    expect(res.body).toMatchObject({ status: 'approved', approvedAt: expect.any(String), amount: AMOUNT, week: 1, payoutDate: '2026-03-06' });
    expectState((await payoutAction(t, circleId, organizer, week1[0], 'approve').expect(409)).body, 'approved');
  });

  it('refuses to send a payout that is not approved, or to give it an acknowledgement link', async () => {
    expectState((await sendPayout(t, circleId, treasurer, week1[1]).expect(409)).body, 'scheduled');
    expectState((await issueAcknowledgementLink(t, circleId, treasurer, week1[1]).expect(409)).body, 'scheduled');
  });

  it('refuses to send more than the pool holds, and changes nothing', async () => {
    const before = { transfers: await transferCount(), books: await balances(t, organizer, circleId) };
    const key = randomUUID();
    const res = await sendPayout(t, circleId, treasurer, week1[0], { method: 'zelle', referenceLast4: '4242' }, key).expect(409);
    expect(res.body.type).toBe('urn:arvut:problem:insufficient-funds');
    const payout = await getPayout(week1[0]);
    expect(payout.body).toMatchObject({ status: 'approved', method: null, transferId: null, sentAt: null });
    expect(payout.body.history.map((h: { to: string }) => h.to)).toEqual(['scheduled', 'approved']);
    // Money not out yet: nothing for a recipient to acknowledge.
    expectState((await issueAcknowledgementLink(t, circleId, organizer, week1[0]).expect(409)).body, 'approved');
    expect(await transferCount()).toBe(before.transfers);
    expect(await balances(t, organizer, circleId)).toEqual(before.books);

    // The failed attempt did not use up its key: funded, the same request goes through.
    expect((await postAdjustment(t, organizer, circleId, { direction: 'in', amount: 100_000 })).status).toBe(201);
    const sent = await sendPayout(t, circleId, treasurer, week1[0], { method: 'zelle', referenceLast4: '4242' }, key).expect(200);
    expect(sent.body).toMatchObject({ status: 'sent', method: 'zelle', referenceLast4: '4242', transferId: week1[0], acknowledgementExpiresAt: null });
    expect(sent.body).not.toHaveProperty('acknowledgement');
    expect((await balances(t, organizer, circleId)).payouts).toBe(AMOUNT);
  });

  it('replays a send with the same Idempotency-Key instead of paying twice', async () => {
    await payoutAction(t, circleId, organizer, week1[1], 'approve').expect(200);
    const key = randomUUID();
    const body = { method: 'cash', proofSha256: 'a'.repeat(64) };
    const first = await sendPayout(t, circleId, organizer, week1[1], body, key).expect(200);
    const replay = await sendPayout(t, circleId, organizer, week1[1], body, key).expect(200);
    expect(replay.headers['idempotency-replayed']).toBe('true');
    expect(replay.body).toEqual(first.body);
    expect((await balances(t, organizer, circleId)).payouts).toBe(2 * AMOUNT);
    const other = await sendPayout(t, circleId, organizer, week1[1], { method: 'cash' }, key).expect(422);
    expect(other.body.type).toBe('urn:arvut:problem:idempotency-key-reused');
    const missing = await t.http().post(`/v1/circles/${circleId}/payouts/${week1[1]}/send`).set(authHeader(organizer)).send(body).expect(400);
    expect(missing.body.type).toBe('urn:arvut:problem:idempotency-key-missing');
  });

  it('refuses to cancel or re-approve a sent payout', async () => {
    expectState((await payoutAction(t, circleId, organizer, week1[0], 'cancel').expect(409)).body, 'sent');
    expectState((await payoutAction(t, circleId, organizer, week1[0], 'approve').expect(409)).body, 'sent');
    expectState((await sendPayout(t, circleId, treasurer, week1[0]).expect(409)).body, 'sent');
  });

  it('returns a sent payout by reversing its posting, once', async () => {
    expectState((await returnPayout(t, circleId, treasurer, week1[2]).expect(409)).body, 'scheduled');
    const before = await balances(t, organizer, circleId);
    const res = await returnPayout(t, circleId, treasurer, week1[1]).expect(200);
    expect(res.body).toMatchObject({ status: 'returned', reversalTransferId: expect.any(String), returnedAt: expect.any(String) });
    const after = await balances(t, organizer, circleId);
    expect(after.payouts).toBe(before.payouts - AMOUNT);
    expect(after.pool).toBe(before.pool + AMOUNT);
    const reversal = await t.sql.query('SELECT reverses FROM ledger_transfers WHERE id = $1', [res.body.reversalTransferId]);
    expect(reversal.rows[0].reverses).toBe(week1[1]);
    expectState((await returnPayout(t, circleId, treasurer, week1[1]).expect(409)).body, 'returned');
    expectState((await issueAcknowledgementLink(t, circleId, treasurer, week1[1]).expect(409)).body, 'returned');
    expect((await checkLedger(t, organizer, circleId)).ok).toBe(true);
  });

  it('cancels a scheduled payout; generating its week again brings nothing back', async () => {
    const res = await payoutAction(t, circleId, organizer, week1[2], 'cancel').expect(200);
    expect(res.body).toMatchObject({ status: 'cancelled', cancelledAt: expect.any(String) });
    expectState((await payoutAction(t, circleId, organizer, week1[2], 'cancel').expect(409)).body, 'cancelled');
    expectState((await issueAcknowledgementLink(t, circleId, organizer, week1[2]).expect(409)).body, 'cancelled');
    const again = await generateWeek(t, circleId, organizer, cycleId, 1).expect(200);
    expect(again.body.created).toBe(0);
    expect(again.body.payouts.map((p: { status: string }) => p.status).sort()).toEqual(['cancelled', 'returned', 'sent']);
  });

  it('records who moved a payout and when', async () => {
    const res = await getPayout(week1[0]);
    expect(res.body.history).toEqual([
      { event: 'status_change', from: null, to: 'scheduled', actor: 'user', actorUserId: organizer.userId, at: expect.any(String) },
      { event: 'status_change', from: 'scheduled', to: 'approved', actor: 'user', actorUserId: organizer.userId, at: expect.any(String) },
      { event: 'status_change', from: 'approved', to: 'sent', actor: 'user', actorUserId: treasurer.userId, at: expect.any(String) },
    ]);
  });

  let week2: string[];
  it('issues no link on send and keeps no token anywhere: not in the replayable response, not in any table', async () => {
    week2 = (await generateWeek(t, circleId, organizer, cycleId, 2).expect(201)).body.payouts.map((p: { id: string }) => p.id);
    for (const id of week2) await payoutAction(t, circleId, organizer, id, 'approve').expect(200);
    const key = randomUUID();
    const sent = await sendPayout(t, circleId, treasurer, week2[0], { method: 'cash' }, key).expect(200);
    expect(sent.body).toMatchObject({ id: week2[0], status: 'sent', acknowledgementExpiresAt: null });
    expect(sent.body).not.toHaveProperty('acknowledgement');

    const issuedAt = Date.now();
    const link = await issueAcknowledgementLink(t, circleId, treasurer, week2[0]).expect(201);
    const token: string = link.body.token;
    expect(link.body).toEqual({ token: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/), path: `/v1/payout-acknowledgements/${token}`, expiresAt: expect.any(String) });
    expect(link.headers['cache-control']).toBe('no-store');
    expect(Date.parse(link.body.expiresAt) - issuedAt).toBeGreaterThan(29.9 * DAY);
    expect(Date.parse(link.body.expiresAt) - issuedAt).toBeLessThanOrEqual(30 * DAY + 60_000);
    expect((await getPayout(week2[0])).body.acknowledgementExpiresAt).toBe(link.body.expiresAt);

    // A retried send replays the stored response: the payout, never a token.
    const replay = await sendPayout(t, circleId, treasurer, week2[0], { method: 'cash' }, key).expect(200);
    expect(replay.headers['idempotency-replayed']).toBe('true');
    expect(replay.body).toEqual(sent.body);

    // Every text column of every stored idempotency record, and then every row of every table.
    const columns = await t.sql.query<{ column_name: string }>(
      `SELECT column_name FROM information_schema.columns
        WHERE table_schema = 'public' AND table_name = 'idempotency_keys' AND data_type IN ('text', 'character varying', 'character', 'json', 'jsonb')`,
    );
    expect(columns.rows.map((c) => c.column_name)).toEqual(expect.arrayContaining(['key', 'request_hash', 'response_body']));
    const stored = await t.sql.query('SELECT response_body FROM idempotency_keys WHERE principal_id = $1 AND key = $2', [treasurer.userId, key]);
    expect(JSON.parse(stored.rows[0].response_body)).toMatchObject({ id: week2[0], status: 'sent' });
    // Nor an alias: replayable responses carry ids and amounts only (docs/privacy.md).
    expect(JSON.parse(stored.rows[0].response_body)).not.toHaveProperty('recipientAlias');
    for (const { column_name } of columns.rows) {
      const found = await t.sql.query(`SELECT count(*)::int AS n FROM idempotency_keys WHERE strpos("${column_name}"::text, $1) > 0`, [token]);
      expect([column_name, found.rows[0].n]).toEqual([column_name, 0]);
    }
    const tables = await t.sql.query<{ table_name: string }>(`SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'`);
    for (const { table_name } of tables.rows) {
      const found = await t.sql.query(`SELECT count(*)::int AS n FROM "${table_name}" r WHERE strpos(r::text, $1) > 0`, [token]);
      expect([table_name, found.rows[0].n]).toEqual([table_name, 0]);
    }
    // The payout keeps only the token's SHA-256.
    const row = await t.sql.query('SELECT ack_token_hash FROM payouts WHERE id = $1', [week2[0]]);
    expect(row.rows[0].ack_token_hash).toBe(createHash('sha256').update(token).digest('hex'));
  });

  it('replaces the link on each issue: the old one stops working, the new one works once', async () => {
    const first = await acknowledgementToken(t, circleId, treasurer, week2[0]);
    const second = await acknowledgementToken(t, circleId, organizer, week2[0]);
    expect(second).not.toBe(first);
    const old = await t.http().post(`/v1/payout-acknowledgements/${first}`).expect(404);
    expect(old.body.type).toBe('urn:arvut:problem:not-found');
    expect((await getPayout(week2[0])).body.status).toBe('sent');

    const done = await t.http().post(`/v1/payout-acknowledgements/${second}`).expect(200);
    expect(done.body).toMatchObject({ status: 'acknowledged', amount: AMOUNT, currency: 'USD' });
    const again = await t.http().post(`/v1/payout-acknowledgements/${second}`).expect(409);
    expect(again.body.type).toBe('urn:arvut:problem:acknowledgement-used');
    expectState((await issueAcknowledgementLink(t, circleId, treasurer, week2[0]).expect(409)).body, 'acknowledged');

    // Each issue is in the payout's history with who and when; the acknowledgement has no account behind it.
    const history = (await getPayout(week2[0])).body.history;
    expect(history.slice(2)).toEqual([
      { event: 'status_change', from: 'approved', to: 'sent', actor: 'user', actorUserId: treasurer.userId, at: expect.any(String) },
      { event: 'acknowledgement_link_issued', from: 'sent', to: 'sent', actor: 'user', actorUserId: treasurer.userId, at: expect.any(String) },
      { event: 'acknowledgement_link_issued', from: 'sent', to: 'sent', actor: 'user', actorUserId: treasurer.userId, at: expect.any(String) },
      { event: 'acknowledgement_link_issued', from: 'sent', to: 'sent', actor: 'user', actorUserId: organizer.userId, at: expect.any(String) },
      { event: 'status_change', from: 'sent', to: 'acknowledged', actor: 'link', actorUserId: null, at: expect.any(String) },
    ]);
  });

  it('records "it did not arrive" through the link, once an hour, and keeps the payout sent and the link working', async () => {
    // A circle of its own, so the weeks of the main one stay as the other tests expect them.
    const circle = await createCircle(t, organizer);
    await addRecipients(t, circle, organizer, 1);
    const cycle = (await createCycle(t, circle, organizer, { slots: 1, weeks: 1 })).id;
    await activateCycle(t, circle, organizer, cycle);
    await postAdjustment(t, organizer, circle, { direction: 'in', amount: AMOUNT });
    const payoutId = (await generateWeek(t, circle, organizer, cycle, 1).expect(201)).body.payouts[0].id as string;
    await payoutAction(t, circle, organizer, payoutId, 'approve').expect(200);
    await sendPayout(t, circle, organizer, payoutId).expect(200);
    const token = await acknowledgementToken(t, circle, organizer, payoutId);
    const reported = await t.http().post(`/v1/payout-acknowledgements/${token}/not-arrived`).expect(200);
    expect(reported.body).toMatchObject({ status: 'sent', amount: AMOUNT, currency: 'USD', reportedAt: expect.any(String) });
    const repeated = await t.http().post(`/v1/payout-acknowledgements/${token}/not-arrived`).expect(200);
    expect(repeated.body.reportedAt).toBe(reported.body.reportedAt);
    const reports = (await t.http().get(`/v1/circles/${circle}/payouts/${payoutId}`).set(authHeader(organizer)).expect(200)).body.history.filter((h: { event: string }) => h.event === 'not_arrived_reported');
    expect(reports).toEqual([{ event: 'not_arrived_reported', from: 'sent', to: 'sent', actor: 'link', actorUserId: null, at: expect.any(String) }]);
    const told = await t.sql.query(`SELECT data FROM outbox_events WHERE circle_id = $1 AND type = 'payout.not_arrived'`, [circle]);
    expect(told.rows.map((r) => r.data)).toEqual([expect.objectContaining({ payoutId, from: 'sent', to: 'sent', amount: AMOUNT })]);
    expect((await t.http().get(`/v1/circles/${circle}/payouts/${payoutId}`).set(authHeader(organizer)).expect(200)).body.status).toBe('sent');
    await t.http().post(`/v1/payout-acknowledgements/${token}`).expect(200);
    expect((await t.http().post(`/v1/payout-acknowledgements/${token}/not-arrived`).expect(409)).body.type).toBe('urn:arvut:problem:acknowledgement-used');
    expect((await t.http().post(`/v1/payout-acknowledgements/${'x'.repeat(43)}/not-arrived`).expect(404)).body.type).toBe('urn:arvut:problem:not-found');
  });

  it('refuses an expired link (410) and lets a treasurer issue a new one', async () => {
    await sendPayout(t, circleId, treasurer, week2[1]).expect(200);
    const token = await acknowledgementToken(t, circleId, treasurer, week2[1]);
    await t.sql.query(`UPDATE payouts SET ack_expires_at = now() - interval '1 minute' WHERE id = $1`, [week2[1]]);
    const expired = await t.http().post(`/v1/payout-acknowledgements/${token}`).expect(410);
    expect(expired.body.type).toBe('urn:arvut:problem:acknowledgement-expired');
    expect((await getPayout(week2[1])).body).toMatchObject({ status: 'sent', acknowledgedAt: null });

    const renewed = await issueAcknowledgementLink(t, circleId, treasurer, week2[1]).expect(201);
    expect(Date.parse(renewed.body.expiresAt)).toBeGreaterThan(Date.now() + 29 * DAY);
    await t.http().post(`/v1/payout-acknowledgements/${token}`).expect(404);
  });

  it('takes no acknowledgement for money that came back', async () => {
    await sendPayout(t, circleId, treasurer, week2[2]).expect(200);
    const token = await acknowledgementToken(t, circleId, treasurer, week2[2]);
    await returnPayout(t, circleId, treasurer, week2[2]).expect(200);
    expectState((await t.http().post(`/v1/payout-acknowledgements/${token}`).expect(409)).body, 'returned');
    expectState((await issueAcknowledgementLink(t, circleId, treasurer, week2[2]).expect(409)).body, 'returned');

    await t.http().post('/v1/payout-acknowledgements/not-a-token').expect(404);
    await t.http().post(`/v1/payout-acknowledgements/${'A'.repeat(43)}`).expect(404);
  });

  it('generates weeks in order, and only weeks the cycle has', async () => {
    const early = await generateWeek(t, circleId, organizer, cycleId, 4).expect(409);
    expect(early.body).toMatchObject({ type: 'urn:arvut:problem:invalid-state', detail: expect.stringContaining('generate week 3 first') });
    await generateWeek(t, circleId, organizer, cycleId, 5).expect(404);
    await generateWeek(t, circleId, organizer, cycleId, 0).expect(404);
    await generateWeek(t, circleId, organizer, cycleId, 'two').expect(404);
    await generateWeek(t, circleId, organizer, randomUUID(), 1).expect(404);
  });

  it('lets each role do only its part', async () => {
    await generateWeek(t, circleId, treasurer, cycleId, 3).expect(403);
    await payoutAction(t, circleId, treasurer, week1[2], 'approve').expect(403);
    await payoutAction(t, circleId, treasurer, week1[2], 'cancel').expect(403);
    await t.http().get(`/v1/circles/${circleId}/payouts`).set(authHeader(donor)).expect(403);
    await sendPayout(t, circleId, donor, week1[0]).expect(403);
    const donorLink = await issueAcknowledgementLink(t, circleId, donor, week1[0]).expect(403);
    expect(donorLink.body.type).toBe('urn:arvut:problem:forbidden');
    expect((await issueAcknowledgementLink(t, circleId, outsider, week1[0]).expect(404)).body.type).toBe('urn:arvut:problem:not-found');
    await issueAcknowledgementLink(t, circleId, treasurer, randomUUID()).expect(404);
    const foreign = await t.http().get(`/v1/circles/${circleId}/payouts`).set(authHeader(outsider)).expect(404);
    expect(foreign.body.type).toBe('urn:arvut:problem:not-found');
    await payoutAction(t, circleId, outsider, week1[2], 'approve').expect(404);
    // A payout id under another circle's path names nothing.
    const otherCircle = await createCircle(t, outsider);
    await payoutAction(t, otherCircle, outsider, week1[2], 'cancel').expect(404);
    await issueAcknowledgementLink(t, otherCircle, outsider, week1[0]).expect(404);
    // The donor's and outsider's attempts left the sent payout without a link.
    expect((await getPayout(week1[0])).body.acknowledgementExpiresAt).toBeNull();
  });

  it.each([
    [{ method: 'wire' }, 'method'],
    [{}, 'method'],
    [{ method: 'cash', referenceLast4: '12' }, 'referenceLast4'],
    [{ method: 'cash', referenceLast4: '12-4' }, 'referenceLast4'],
    [{ method: 'cash', proofSha256: 'A'.repeat(64) }, 'proofSha256'],
    [{ method: 'cash', recipientHandle: '$someone' }, 'recipientHandle'],
  ])('rejects a bad send %j naming the field', async (body, field) => {
    const res = await sendPayout(t, circleId, treasurer, week1[2], body).expect(400);
    expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
  });

  it('lists payouts by cycle, week and status, newest first', async () => {
    const sent = await allPayouts(t, circleId, treasurer, { cycleId, status: 'sent' });
    expect(sent.map((p) => p.id).sort()).toEqual([week1[0], week2[1]].sort());
    const ofWeek2 = await allPayouts(t, circleId, organizer, { cycleId, week: 2 });
    expect(ofWeek2.map((p) => p.id).sort()).toEqual([...week2].sort());
    const page = await t.http().get(`/v1/circles/${circleId}/payouts?limit=2`).set(authHeader(treasurer)).expect(200);
    expect(page.body.items).toHaveLength(2);
    expect(page.body.items[0].week).toBe(2);
    await t.http().get(`/v1/circles/${circleId}/payouts?status=lost`).set(authHeader(treasurer)).expect(400);
    await t.http().get(`/v1/circles/${circleId}/payouts?cycleId=nope`).set(authHeader(treasurer)).expect(400);
    await t.http().get(`/v1/circles/${circleId}/payouts?week=0`).set(authHeader(treasurer)).expect(400);
  });

  it('names the recipient of each listed payout by alias, and by nothing from the vault', async () => {
    const listed = await allPayouts(t, circleId, treasurer, { cycleId });
    expect(listed).toHaveLength(6);
    for (const p of listed) expect(p.recipientAlias).toBe(`R${recipients.indexOf(p.recipientId) + 1}`);
    const page = await t.http().get(`/v1/circles/${circleId}/payouts?limit=2`).set(authHeader(organizer)).expect(200);
    for (const item of page.body.items) expect(Object.keys(item).filter((k) => /contact|handle|note/i.test(k))).toEqual([]);
  });
});
