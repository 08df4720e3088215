import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { bearer, registerAndLogin } from '../support/auth.js';
import { addMember, createCircle, type TestUser } from '../support/circles.js';
import { balances, checkLedger, postAdjustment, postReversal } from '../support/ledger.js';
import { activateCycle, addRecipients, createCycle, generateWeek, payoutAction, sendPayout } from '../support/payouts.js';
import { postContribution } from '../support/pledges.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

describe('the ledger through the API', () => {
  let t: TestApp;
  let organizer: TestUser;
  let treasurer: TestUser;
  let member: TestUser;
  let circleId: string;

  beforeAll(async () => {
    t = await createTestApp();
    organizer = await registerAndLogin(t);
    circleId = await createCircle(t, organizer);
    treasurer = await addMember(t, circleId, organizer, 'treasurer');
    member = await addMember(t, circleId, organizer, 'member');
  });
  afterAll(async () => {
    await t.close();
  });

  it('opens six empty accounts with a new circle', async () => {
    const res = await t.http().get(`/v1/circles/${circleId}/ledger/accounts`).set('Authorization', bearer(member.accessToken)).expect(200);
    expect(res.body.currency).toBe('USD');
    expect(res.body.accounts.map((a: { kind: string }) => a.kind)).toEqual(['pool', 'clearing', 'contributions', 'payouts', 'fees', 'adjustments']);
    expect(res.body.accounts.every((a: { balance: number; version: number }) => a.balance === 0 && a.version === 0)).toBe(true);
    expect(res.body.accounts.find((a: { kind: string }) => a.kind === 'adjustments').normalSide).toBe('credit');
  });

  it('walks the story: cash in, refused overdraft, reversal, refused second reversal, safe retry', async () => {
    const key = randomUUID();
    const cashIn = await postAdjustment(t, organizer, circleId, { direction: 'in', amount: 50000, memo: 'Cash box count' }, key).expect(201);
    expect(cashIn.body).toMatchObject({ kind: 'adjustment', amount: 50000, currency: 'USD', memo: 'Cash box count', reverses: null, metadata: { direction: 'in' } });
    expect(cashIn.body.entries).toEqual([
      { account: 'pool', amount: 50000, accountVersion: 1, balanceAfter: 50000 },
      { account: 'adjustments', amount: -50000, accountVersion: 1, balanceAfter: 50000 },
    ]);
    expect(await balances(t, member, circleId)).toMatchObject({ pool: 50000, adjustments: 50000 });

    const overdraft = await postAdjustment(t, treasurer, circleId, { direction: 'out', amount: 50001 }).expect(409);
    expect(overdraft.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(overdraft.body).toMatchObject({ type: 'urn:arvut:problem:insufficient-funds', status: 409 });
    expect(await balances(t, member, circleId)).toMatchObject({ pool: 50000, adjustments: 50000 });

    const retry = await postAdjustment(t, organizer, circleId, { direction: 'in', amount: 50000, memo: 'Cash box count' }, key).expect(201);
    expect(retry.headers['idempotency-replayed']).toBe('true');
    expect(retry.text).toBe(cashIn.text);
    expect(await balances(t, member, circleId)).toMatchObject({ pool: 50000 });

    const reversal = await postReversal(t, organizer, circleId, cashIn.body.id).expect(201);
    expect(reversal.body).toMatchObject({ kind: 'reversal', reverses: cashIn.body.id, amount: 50000 });
    expect(await balances(t, member, circleId)).toMatchObject({ pool: 0, adjustments: 0 });

    const again = await postReversal(t, organizer, circleId, cashIn.body.id).expect(409);
    expect(again.body.type).toBe('urn:arvut:problem:already-reversed');
    const ofReversal = await postReversal(t, organizer, circleId, reversal.body.id).expect(409);
    expect(ofReversal.body.type).toBe('urn:arvut:problem:invalid-state');

    const original = await t.http().get(`/v1/circles/${circleId}/ledger/transfers/${cashIn.body.id}`).set('Authorization', bearer(treasurer.accessToken)).expect(200);
    expect(original.body.reversedBy).toBe(reversal.body.id);
    expect((await checkLedger(t, organizer, circleId)).ok).toBe(true);
  });

  it('refuses to reverse payout and contribution transfers, which their own flows undo, changing nothing', async () => {
    const contribution = await postContribution(t, treasurer, circleId, { amount: 30_000, method: 'cash', receivedOn: '2026-03-01' });
    expect(contribution.status).toBe(201);
    const cycle = await createCycle(t, circleId, organizer, { slots: 1, amount: 10_000 });
    await addRecipients(t, circleId, organizer, 1, 'Rev');
    await activateCycle(t, circleId, organizer, cycle.id);
    const week = await generateWeek(t, circleId, organizer, cycle.id, 1);
    const payoutId = (week.body.payouts as { id: string }[])[0].id;
    await payoutAction(t, circleId, organizer, payoutId, 'approve').expect(200);
    const sent = await sendPayout(t, circleId, treasurer, payoutId);
    expect(sent.status).toBe(200);

    const before = await balances(t, organizer, circleId);
    for (const transferId of [contribution.body.transferId as string, sent.body.transferId as string]) {
      const res = await postReversal(t, organizer, circleId, transferId);
      expect([res.status, res.body.type]).toEqual([409, 'urn:arvut:problem:invalid-state']);
    }
    expect(await balances(t, organizer, circleId)).toEqual(before);
    expect((await t.http().get(`/v1/circles/${circleId}/payouts/${payoutId}`).set('Authorization', bearer(organizer.accessToken))).body.status).toBe('sent');
  });

  it('refuses a reversal the pool cannot give back, changing nothing', async () => {
    const c = await createCircle(t, organizer);
    const cashIn = await postAdjustment(t, organizer, c, { direction: 'in', amount: 1000 }).expect(201);
    await postAdjustment(t, organizer, c, { direction: 'out', amount: 600 }).expect(201);
    const res = await postReversal(t, organizer, c, cashIn.body.id).expect(409);
    expect(res.body.type).toBe('urn:arvut:problem:insufficient-funds');
    expect(await balances(t, organizer, c)).toMatchObject({ pool: 400, adjustments: 400 });
  });

  it('lists transfers newest first with a cursor, to treasurers and organizers only', async () => {
    const c = await createCircle(t, organizer);
    const ids: string[] = [];
    for (let i = 1; i <= 5; i++) ids.push((await postAdjustment(t, organizer, c, { direction: 'in', amount: i * 100 }).expect(201)).body.id);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res = await t.http().get(`/v1/circles/${c}/ledger/transfers`).query(cursor ? { limit: 2, cursor } : { limit: 2 }).set('Authorization', bearer(organizer.accessToken)).expect(200);
      expect(res.body.items.length).toBeLessThanOrEqual(2);
      seen.push(...res.body.items.map((i: { id: string }) => i.id));
      cursor = res.body.nextCursor;
    } while (cursor);
    expect(seen).toEqual([...ids].reverse());

    await t.http().get(`/v1/circles/${circleId}/ledger/transfers`).set('Authorization', bearer(treasurer.accessToken)).expect(200);
    const forbidden = await t.http().get(`/v1/circles/${circleId}/ledger/transfers`).set('Authorization', bearer(member.accessToken)).expect(403);
    expect(forbidden.body.type).toBe('urn:arvut:problem:forbidden');
    await t.http().get(`/v1/circles/${circleId}/ledger/transfers`).query({ cursor: 'bm90LWEtY3Vyc29y' }).set('Authorization', bearer(treasurer.accessToken)).expect(400);
  });

  it('keeps roles: members cannot adjust, treasurers cannot reverse or check, outsiders see 404', async () => {
    const res = await postAdjustment(t, member, circleId, { direction: 'in', amount: 100 }).expect(403);
    expect(res.body.type).toBe('urn:arvut:problem:forbidden');
    const cashIn = await postAdjustment(t, treasurer, circleId, { direction: 'in', amount: 100 }).expect(201);
    await postReversal(t, treasurer, circleId, cashIn.body.id).expect(403);
    await t.http().get(`/v1/circles/${circleId}/ledger/check`).set('Authorization', bearer(treasurer.accessToken)).expect(403);

    const outsider = await registerAndLogin(t);
    for (const path of ['accounts', 'transfers', `transfers/${cashIn.body.id}`, 'check']) {
      const r = await t.http().get(`/v1/circles/${circleId}/ledger/${path}`).set('Authorization', bearer(outsider.accessToken)).expect(404);
      expect(r.body.type).toBe('urn:arvut:problem:not-found');
    }
    await postAdjustment(t, outsider, circleId, { direction: 'in', amount: 100 }).expect(404);
    await t.http().get(`/v1/circles/${circleId}/ledger/transfers/${randomUUID()}`).set('Authorization', bearer(organizer.accessToken)).expect(404);
    await t.http().get(`/v1/circles/not-a-uuid/ledger/accounts`).set('Authorization', bearer(organizer.accessToken)).expect(404);
    await postReversal(t, organizer, circleId, randomUUID()).expect(404);
  });

  it('rejects amounts that are not positive safe integers and memos that are too long', async () => {
    for (const amount of [0, -5, 1.5, '100', Number.MAX_SAFE_INTEGER + 1]) {
      const res = await postAdjustment(t, organizer, circleId, { direction: 'in', amount: amount as number }).expect(400);
      expect(res.body.type).toBe('urn:arvut:problem:validation-failed');
    }
    await postAdjustment(t, organizer, circleId, { direction: 'sideways' as 'in', amount: 1 }).expect(400);
    await postAdjustment(t, organizer, circleId, { direction: 'in', amount: 1, memo: 'x'.repeat(141) }).expect(400);
    await postAdjustment(t, organizer, circleId, { direction: 'in', amount: 1, memo: 'line\nbreak' }).expect(400);
  });
});
