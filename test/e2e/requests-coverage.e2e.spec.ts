// The pool is promised once (docs/grants.md): a cycle's coverage shows what approved, unpaid
// grants reserve of the pool and counts its weeks on what they leave, the same figure the
// approval guard (requests_guard, AR144) and GET …/grant-funds use.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { registerAndLogin } from '../support/auth.js';
import { addMember, createCircle, type TestUser } from '../support/circles.js';
import { postAdjustment } from '../support/ledger.js';
import { activateCycle, addRecipients, createCycle, generateWeek, payoutAction, sendPayout } from '../support/payouts.js';
import { authHeader } from '../support/problems.js';
import { openRequest, requestAction } from '../support/requests.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

const today = new Date().toISOString().slice(0, 10);
/** ISO weekday (1 = Monday … 7 = Sunday) of a UTC date. */
const isoWeekday = (date: string) => ((new Date(`${date}T00:00:00Z`).getUTCDay() + 6) % 7) + 1;

describe('coverage and grants count the pool once', () => {
  let t: TestApp;
  let organizer: TestUser;
  let treasurer: TestUser;
  let member: TestUser;
  let circleId: string;
  let cycleId: string;
  const grant = (amount: number) => ({ kind: 'grant' as const, category: 'medical', amount, alias: 'G.' });
  const coverage = async () => (await t.http().get(`/v1/circles/${circleId}/cycles/${cycleId}/coverage`).set(authHeader(member)).expect(200)).body;
  const funds = async () => (await t.http().get(`/v1/circles/${circleId}/grant-funds`).set(authHeader(member)).expect(200)).body;

  beforeAll(async () => {
    t = await createTestApp();
    organizer = await registerAndLogin(t);
    circleId = await createCircle(t, organizer, { timezone: 'UTC' });
    treasurer = await addMember(t, circleId, organizer, 'treasurer');
    member = await addMember(t, circleId, organizer, 'member');
    await addRecipients(t, circleId, organizer, 2);
    // Two recipients at 1000 a week: 2000 due each week, the first payout day today.
    cycleId = (await createCycle(t, circleId, organizer, { startsOn: today, weeks: 4, amount: 1000, slots: 2, payoutWeekday: isoWeekday(today) })).id;
    await activateCycle(t, circleId, organizer, cycleId);
    expect((await postAdjustment(t, organizer, circleId, { direction: 'in', amount: 10_000 })).status).toBe(201);
  });
  afterAll(async () => {
    await t.close();
  });

  it('shows no reservation and counts the whole pool while no grant is approved', async () => {
    expect(await coverage()).toMatchObject({ poolBalance: 10_000, reservedForGrants: 0, available: 10_000, duePerWeek: 2000, weeksFundedAhead: 5 });
  });

  it('holds an approved, unpaid grant out of the weeks the pool pays for, as grant-funds does', async () => {
    const r = await openRequest(t, circleId, member, grant(4500)).expect(201);
    // Asked is not promised: only an approval reserves.
    expect(await coverage()).toMatchObject({ reservedForGrants: 0, weeksFundedAhead: 5 });
    await requestAction(t, circleId, organizer, r.body.id, 'approve').expect(200);
    const c = await coverage();
    expect(c).toMatchObject({ poolBalance: 10_000, reservedForGrants: 4500, available: 5500, weeksFundedAhead: 2 });
    const f = await funds();
    expect([f.pool, f.reservedForGrants, f.available]).toEqual([c.poolBalance, c.reservedForGrants, c.available]);
  });

  it('lets an approval take exactly what coverage calls available, and not one minor unit more', async () => {
    const { available } = await coverage();
    const over = await openRequest(t, circleId, member, grant(available + 1)).expect(201);
    const refused = await requestAction(t, circleId, organizer, over.body.id, 'approve').expect(409);
    expect(refused.body.type).toBe('urn:arvut:problem:insufficient-funds');
    const exact = await openRequest(t, circleId, member, grant(available)).expect(201);
    await requestAction(t, circleId, organizer, exact.body.id, 'approve').expect(200);
    expect(await coverage()).toMatchObject({ poolBalance: 10_000, reservedForGrants: 10_000, available: 0, weeksFundedAhead: 0 });
    // Cancelling gives the money back to the cycle's count at once.
    await requestAction(t, circleId, organizer, exact.body.id, 'cancel').expect(200);
    expect(await coverage()).toMatchObject({ reservedForGrants: 4500, available: 5500, weeksFundedAhead: 2 });
  });

  it('a paid grant leaves the pool and the reservation together; payouts drawing on reserved money show as negative available', async () => {
    const approved = await t.http().get(`/v1/circles/${circleId}/requests?status=approved`).set(authHeader(organizer)).expect(200);
    const grantId: string = approved.body.items[0].id;
    await requestAction(t, circleId, treasurer, grantId, 'send', { method: 'cash' }).expect(200);
    expect(await coverage()).toMatchObject({ poolBalance: 5500, reservedForGrants: 0, available: 5500, weeksFundedAhead: 2 });

    // A new reservation, then the week's payouts: they are not held back, and the coverage says so.
    const r = await openRequest(t, circleId, member, grant(5000)).expect(201);
    await requestAction(t, circleId, organizer, r.body.id, 'approve').expect(200);
    const week = await generateWeek(t, circleId, organizer, cycleId, 1).expect(201);
    for (const p of week.body.payouts as { id: string }[]) {
      await payoutAction(t, circleId, organizer, p.id, 'approve').expect(200);
      await sendPayout(t, circleId, treasurer, p.id).expect(200);
    }
    expect(await coverage()).toMatchObject({ poolBalance: 3500, reservedForGrants: 5000, available: -1500, weeksFundedAhead: 0 });
    // The grant cannot be paid from money the payouts took (invariant 4), and nothing is lost.
    const send = await requestAction(t, circleId, treasurer, r.body.id, 'send', { method: 'cash' }).expect(409);
    expect(send.body.type).toBe('urn:arvut:problem:insufficient-funds');
    expect(await coverage()).toMatchObject({ poolBalance: 3500, reservedForGrants: 5000 });
  });

  it('the approval guard and the reads use one definition of the reservation', async () => {
    const [{ reserved }] = (await t.sql.query('SELECT grant_reserved($1)::int AS reserved', [circleId])).rows;
    expect(reserved).toBe((await coverage()).reservedForGrants);
    const guard = (await t.sql.query(`SELECT prosrc FROM pg_proc WHERE proname = 'requests_guard'`)).rows[0].prosrc as string;
    expect(guard).toContain('grant_reserved(NEW.circle_id, NEW.id)');
  });
});
