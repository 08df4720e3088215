// Requests and grants: who may open, approve and send, and the rules the database enforces
// with the code (docs/grants.md): no self-approval, the two-person threshold, the monthly
// budget, the pool reserved for approved grants, the state machine and its history.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { bearer, registerAndLogin } from '../support/auth.js';
import { addMember, createCircle, type TestUser } from '../support/circles.js';
import { balances, postAdjustment } from '../support/ledger.js';
import { openRequest, putRequestSettings, requestAction } from '../support/requests.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

describe('requests and grants: rules', () => {
  let t: TestApp;
  let circleId: string;
  let organizer: TestUser;
  let organizer2: TestUser;
  let treasurer: TestUser;
  let member: TestUser;
  const as = (u: TestUser) => ({ Authorization: bearer(u.accessToken) });
  const grant = (amount: number, alias = 'N.') => ({ kind: 'grant' as const, category: 'rent', amount, alias });

  beforeAll(async () => {
    t = await createTestApp();
    organizer = await registerAndLogin(t);
    circleId = await createCircle(t, organizer);
    organizer2 = await addMember(t, circleId, organizer, 'organizer');
    treasurer = await addMember(t, circleId, organizer, 'treasurer');
    member = await addMember(t, circleId, organizer, 'member');
    expect((await postAdjustment(t, organizer, circleId, { direction: 'in', amount: 100_000 })).status).toBe(201);
  });
  afterAll(async () => {
    await t.close();
  });

  it('a member refers a neighbour; only organizers see who referred', async () => {
    const res = await openRequest(t, circleId, member, grant(5000)).expect(201);
    expect(res.body).toMatchObject({ source: 'referral', status: 'submitted', amountAsked: 5000, openedBy: null, alias: null });
    const asOrganizer = await t.http().get(`/v1/circles/${circleId}/requests/${res.body.id}`).set(as(organizer)).expect(200);
    expect(asOrganizer.body.openedBy).toBe(member.userId);
    const asTreasurer = await t.http().get(`/v1/circles/${circleId}/requests/${res.body.id}`).set(as(treasurer)).expect(200);
    expect(asTreasurer.body.openedBy).toBeNull();
    await t.http().get(`/v1/circles/${circleId}/requests/${res.body.id}`).set(as(member)).expect(403);
    expect(asOrganizer.body.alias).toBe('N.');
    // The answer stored for Idempotency-Key replays keeps no alias.
    const stored = await t.sql.query(`SELECT count(*)::int AS n FROM idempotency_keys WHERE response_body LIKE '%"alias":"N.%'`);
    expect(stored.rows[0].n).toBe(0);
  });

  it('refuses a grant without category or amount, and a roster request with them', async () => {
    const a = await openRequest(t, circleId, member, { kind: 'grant', alias: 'X.' }).expect(400);
    expect(a.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['amount', 'category']);
    await openRequest(t, circleId, member, { kind: 'roster', alias: 'X.', amount: 100 }).expect(400);
    await openRequest(t, circleId, member, { ...grant(1.5) }).expect(400);
    await openRequest(t, circleId, member, { ...grant(100), category: 'gambling' }).expect(400);
  });

  it('no one approves a request they opened or referred, in the API and in the database', async () => {
    const mine = await openRequest(t, circleId, organizer, grant(1000)).expect(201);
    const res = await requestAction(t, circleId, organizer, mine.body.id, 'approve').expect(409);
    expect(res.body.type).toBe('urn:arvut:problem:second-person-required');
    await expect(t.sql.query(`UPDATE requests SET approved_by = opened_by WHERE id = $1`, [mine.body.id])).rejects.toThrow(/ck_requests_not_self_approved/);
    await requestAction(t, circleId, organizer2, mine.body.id, 'approve').expect(200);
  });

  it('grants at most what was asked unless the organizer says so', async () => {
    const r = await openRequest(t, circleId, member, grant(1000)).expect(201);
    const over = await requestAction(t, circleId, organizer, r.body.id, 'approve', { amount: 1500 }).expect(400);
    expect(over.body.errors[0].field).toBe('amount');
    await expect(t.sql.query(`UPDATE requests SET amount_granted = 1500 WHERE id = $1`, [r.body.id])).rejects.toThrow(/ck_requests_amount_granted/);
    const ok = await requestAction(t, circleId, organizer, r.body.id, 'approve', { amount: 1500, aboveAsked: true }).expect(200);
    expect(ok.body).toMatchObject({ status: 'approved', amountGranted: 1500, aboveAsked: true });
  });

  it('at or above the two-person threshold: a second, different approver, and two different senders', async () => {
    await putRequestSettings(t, circleId, organizer, { grantBudgetMonthly: null, twoPersonThreshold: 20_000, attachmentsEnabled: false }).expect(200);
    const r = await openRequest(t, circleId, member, grant(20_000)).expect(201);
    // A treasurer cannot give the first approval.
    await requestAction(t, circleId, treasurer, r.body.id, 'approve').expect(403);
    const first = await requestAction(t, circleId, organizer, r.body.id, 'approve').expect(200);
    expect(first.body).toMatchObject({ status: 'submitted', awaitingSecondApproval: true, approvedBy: organizer.userId });
    const again = await requestAction(t, circleId, organizer, r.body.id, 'approve').expect(409);
    expect(again.body.type).toBe('urn:arvut:problem:second-person-required');
    // The database refuses an approval without the second person, whatever the code does.
    await expect(t.sql.query(`UPDATE requests SET status = 'approved', budget_month = date_trunc('month', now())::date WHERE id = $1`, [r.body.id])).rejects.toMatchObject({ code: 'AR142' });
    const second = await requestAction(t, circleId, treasurer, r.body.id, 'approve').expect(200);
    expect(second.body).toMatchObject({ status: 'approved', secondApprovedBy: treasurer.userId });

    const before = await balances(t, organizer, circleId);
    const sent1 = await requestAction(t, circleId, treasurer, r.body.id, 'send', { method: 'zelle', referenceLast4: '9921' }).expect(200);
    expect(sent1.body).toMatchObject({ status: 'approved', awaitingSecondSender: true });
    expect((await balances(t, organizer, circleId)).pool).toBe(before.pool);
    const same = await requestAction(t, circleId, treasurer, r.body.id, 'send', { method: 'zelle', referenceLast4: '9921' }).expect(409);
    expect(same.body.type).toBe('urn:arvut:problem:second-person-required');
    await requestAction(t, circleId, organizer2, r.body.id, 'send', { method: 'cash', referenceLast4: '9921' }).expect(409);
    const paid = await requestAction(t, circleId, organizer2, r.body.id, 'send', { method: 'zelle', referenceLast4: '9921' }).expect(200);
    expect(paid.body).toMatchObject({ status: 'paid', sentBy: treasurer.userId, secondSentBy: organizer2.userId });
    expect((await balances(t, organizer, circleId)).pool).toBe(before.pool - 20_000);
    await putRequestSettings(t, circleId, organizer, { grantBudgetMonthly: null, twoPersonThreshold: null, attachmentsEnabled: false }).expect(200);
  });

  it('keeps approvals within the monthly budget', async () => {
    const funds = await t.http().get(`/v1/circles/${circleId}/grant-funds`).set(as(member)).expect(200);
    const budget = funds.body.approvedThisMonth + 3000;
    await putRequestSettings(t, circleId, organizer, { grantBudgetMonthly: budget, twoPersonThreshold: null, attachmentsEnabled: false }).expect(200);
    const a = await openRequest(t, circleId, member, grant(2000)).expect(201);
    const b = await openRequest(t, circleId, member, grant(2000)).expect(201);
    await requestAction(t, circleId, organizer, a.body.id, 'approve').expect(200);
    const over = await requestAction(t, circleId, organizer, b.body.id, 'approve').expect(409);
    expect(over.body.type).toBe('urn:arvut:problem:over-budget');
    const still = await t.http().get(`/v1/circles/${circleId}/requests/${b.body.id}`).set(as(organizer)).expect(200);
    expect(still.body).toMatchObject({ status: 'submitted', amountGranted: null });
    // A smaller grant still fits; cancelling the first frees its share of the budget.
    await requestAction(t, circleId, organizer, b.body.id, 'approve', { amount: 1000 }).expect(200);
    await requestAction(t, circleId, organizer, a.body.id, 'cancel').expect(200);
    const after = await t.http().get(`/v1/circles/${circleId}/grant-funds`).set(as(member)).expect(200);
    expect(after.body.budgetLeft).toBe(2000);
    await putRequestSettings(t, circleId, organizer, { grantBudgetMonthly: null, twoPersonThreshold: null, attachmentsEnabled: false }).expect(200);
  });

  it('never promises the pool twice: approved, unpaid grants are reserved out of it', async () => {
    const funds = await t.http().get(`/v1/circles/${circleId}/grant-funds`).set(as(member)).expect(200);
    const available: number = funds.body.available;
    expect(available).toBe(funds.body.pool - funds.body.reservedForGrants);
    const a = await openRequest(t, circleId, member, grant(available)).expect(201);
    const b = await openRequest(t, circleId, member, grant(1)).expect(201);
    await requestAction(t, circleId, organizer, a.body.id, 'approve').expect(200);
    const res = await requestAction(t, circleId, organizer, b.body.id, 'approve').expect(409);
    expect(res.body.type).toBe('urn:arvut:problem:insufficient-funds');
    await requestAction(t, circleId, organizer, a.body.id, 'cancel').expect(200);
    await requestAction(t, circleId, organizer, b.body.id, 'approve').expect(200);
  });

  it('moves only along the state machine; the history is append-only', async () => {
    const r = await openRequest(t, circleId, member, grant(500)).expect(201);
    await requestAction(t, circleId, organizer, r.body.id, 'review').expect(200);
    await requestAction(t, circleId, organizer, r.body.id, 'review').expect(409);
    await requestAction(t, circleId, organizer, r.body.id, 'decline', { reason: 'because' }).expect(400);
    const declined = await requestAction(t, circleId, organizer, r.body.id, 'decline', { reason: 'out_of_scope' }).expect(200);
    expect(declined.body).toMatchObject({ status: 'declined', declineReason: 'out_of_scope' });
    await requestAction(t, circleId, organizer, r.body.id, 'approve').expect(409);
    await requestAction(t, circleId, treasurer, r.body.id, 'send', { method: 'cash' }).expect(409);
    await expect(t.sql.query(`UPDATE requests SET status = 'paid' WHERE id = $1`, [r.body.id])).rejects.toMatchObject({ code: 'AR141' });
    await expect(t.sql.query(`UPDATE requests SET amount_asked = 1 WHERE id = $1`, [r.body.id])).rejects.toMatchObject({ code: 'AR141' });
    await expect(t.sql.query(`DELETE FROM requests WHERE id = $1`, [r.body.id])).rejects.toMatchObject({ code: 'AR141' });
    await expect(t.sql.query(`UPDATE request_history SET actor_user_id = NULL WHERE request_id = $1`, [r.body.id])).rejects.toMatchObject({ code: 'AR140' });
    await expect(t.sql.query(`DELETE FROM request_history WHERE request_id = $1`, [r.body.id])).rejects.toMatchObject({ code: 'AR140' });
    const detail = await t.http().get(`/v1/circles/${circleId}/requests/${r.body.id}`).set(as(organizer)).expect(200);
    expect(detail.body.history.map((h: { to: string }) => h.to)).toEqual(['submitted', 'in_review', 'declined']);
  });

  it('a returned grant is a reversal; sending again is refused', async () => {
    const r = await openRequest(t, circleId, member, grant(700, 'Q.')).expect(201);
    await requestAction(t, circleId, organizer, r.body.id, 'approve').expect(200);
    const before = await balances(t, organizer, circleId);
    const paid = await requestAction(t, circleId, treasurer, r.body.id, 'send', { method: 'cash' }).expect(200);
    expect(paid.body.transferId).toBe(r.body.id);
    await requestAction(t, circleId, treasurer, r.body.id, 'send', { method: 'cash' }).expect(409);
    const returned = await requestAction(t, circleId, treasurer, r.body.id, 'return').expect(200);
    expect(returned.body.status).toBe('returned');
    expect((await balances(t, organizer, circleId)).pool).toBe(before.pool);
    // The database keeps the amount of a paid grant; the ledger check proves it matches its posting.
    await expect(t.sql.query(`UPDATE requests SET amount_granted = 1 WHERE id = $1`, [r.body.id])).rejects.toMatchObject({ code: 'AR141' });
    const client = await t.sql.connect();
    try {
      await client.query('ALTER TABLE requests DISABLE TRIGGER requests_guard');
      await client.query(`UPDATE requests SET amount_granted = 699 WHERE id = $1`, [r.body.id]);
      const broken = await t.http().get(`/v1/circles/${circleId}/ledger/check`).set(as(organizer)).expect(200);
      expect(broken.body.results.find((x: { name: string }) => x.name === 'grants-posted')).toMatchObject({ ok: false, offendingIds: [r.body.id] });
      await client.query(`UPDATE requests SET amount_granted = 700 WHERE id = $1`, [r.body.id]);
    } finally {
      await client.query('ALTER TABLE requests ENABLE TRIGGER requests_guard');
      client.release();
    }
    const fixed = await t.http().get(`/v1/circles/${circleId}/ledger/check`).set(as(organizer)).expect(200);
    expect(fixed.body.ok).toBe(true);
    const receipts = await t.http().get(`/v1/circles/${circleId}/receipts`).set(as(member)).expect(200);
    const kinds = receipts.body.items.slice(-2).map((x: { kind: string; category: string | null; amount: number }) => [x.kind, x.category, x.amount]);
    expect(kinds).toEqual([['grant', 'rent', 700], ['reversal', 'rent', 700]]);
    expect(receipts.body.items.slice(-2).map((x: { aliasDigest: string | null }) => x.aliasDigest)).toEqual([null, null]);
  });

  it('a grant carries the alias on its receipt only while the circle shows aliases, as a digest erased with the vault', async () => {
    const circle = await t.http().get(`/v1/circles/${circleId}`).set(as(organizer)).expect(200);
    await t.http().patch(`/v1/circles/${circleId}`).set(as(organizer)).set('If-Match', circle.headers.etag as string).send({ showRecipientAliases: true }).expect(200);
    const r = await openRequest(t, circleId, member, { ...grant(300, 'Shown.'), contact: 'c' }).expect(201);
    await requestAction(t, circleId, organizer, r.body.id, 'approve').expect(200);
    await requestAction(t, circleId, treasurer, r.body.id, 'send', { method: 'cash' }).expect(200);
    const last = async () => (await t.http().get(`/v1/circles/${circleId}/receipts`).set(as(member)).expect(200)).body.items.at(-1);
    const shown = await last();
    expect(shown).toMatchObject({ kind: 'grant', alias: 'Shown.', aliasDigest: expect.stringMatching(/^[0-9a-f]{64}$/) });
    await t.http().delete(`/v1/circles/${circleId}/requests/${r.body.id}/private`).set(as(organizer)).expect(204);
    expect(await last()).toMatchObject({ kind: 'grant', alias: null, aliasDigest: shown.aliasDigest });
    await t.http().get(`/v1/circles/${circleId}/requests/${r.body.id}/private`).set(as(organizer)).expect(404);
    const after = await t.http().get(`/v1/circles/${circleId}`).set(as(organizer)).expect(200);
    await t.http().patch(`/v1/circles/${circleId}`).set(as(organizer)).set('If-Match', after.headers.etag as string).send({ showRecipientAliases: false }).expect(200);
  });
});
