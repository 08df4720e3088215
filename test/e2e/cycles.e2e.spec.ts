// Cycles through HTTP: drafting, activation from the roster, one running cycle per circle,
// slots following pauses, resumes and exits, and the schedule.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { registerAndLogin } from '../support/auth.js';
import { addMember, createCircle, type TestUser } from '../support/circles.js';
import { activateCycle, addRecipients, createCycle, generateWeek } from '../support/payouts.js';
import { transition } from '../support/roster.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { authHeader } from '../support/problems.js';

type Slot = { slotNo: number; recipientId: string; fromWeek: number; toWeek: number | null; state: string };

describe('cycles', () => {
  let t: TestApp;
  let organizer: TestUser;
  let treasurer: TestUser;
  let member: TestUser;
  let outsider: TestUser;
  let circleId: string;

  const cycles = (circle = circleId) => `/v1/circles/${circle}/cycles`;
  const slotsOf = async (cycleId: string): Promise<Slot[]> => (await t.http().get(`${cycles()}/${cycleId}/slots?limit=100`).set(authHeader(treasurer)).expect(200)).body.items;
  const statusOf = async (recipientId: string): Promise<string> => (await t.http().get(`/v1/circles/${circleId}/recipients/${recipientId}`).set(authHeader(organizer)).expect(200)).body.status;
  const paidIn = async (cycleId: string, week: number): Promise<string[]> =>
    (await t.sql.query<{ recipient_id: string }>('SELECT recipient_id FROM payouts WHERE cycle_id = $1 AND week = $2', [cycleId, week])).rows.map((r) => r.recipient_id).sort();

  beforeAll(async () => {
    t = await createTestApp();
    organizer = await registerAndLogin(t);
    outsider = await registerAndLogin(t);
    circleId = await createCircle(t, organizer, { timezone: 'America/New_York' });
    treasurer = await addMember(t, circleId, organizer, 'treasurer');
    member = await addMember(t, circleId, organizer, 'member');
  });
  afterAll(async () => {
    await t.close();
  });

  it('drafts a cycle with its first and last payout dates', async () => {
    const res = await t.http().post(cycles()).set(authHeader(organizer)).send({ startsOn: '2026-03-02', weeks: 15, amount: 17500, slots: 11, payoutWeekday: 5 }).expect(201);
    expect(res.body).toMatchObject({
      status: 'draft',
      startsOn: '2026-03-02',
      weeks: 15,
      amount: 17500,
      currency: 'USD',
      slots: 11,
      filledSlots: 0,
      payoutWeekday: 5,
      firstPayoutDate: '2026-03-06',
      lastPayoutDate: '2026-06-12',
      generatedWeeks: 0,
      activatedAt: null,
    });
  });

  it.each([
    [{ startsOn: '2026-02-30' }, 'startsOn'],
    [{ startsOn: '03/02/2026' }, 'startsOn'],
    [{ weeks: 0 }, 'weeks'],
    [{ weeks: 105 }, 'weeks'],
    [{ amount: 0 }, 'amount'],
    [{ amount: 175.5 }, 'amount'],
    [{ amount: '17500' }, 'amount'],
    [{ slots: 1001 }, 'slots'],
    [{ payoutWeekday: 0 }, 'payoutWeekday'],
    [{ payoutWeekday: 'friday' }, 'payoutWeekday'],
    [{ currency: 'EUR' }, 'currency'],
  ])('rejects a bad cycle %j naming the field', async (change, field) => {
    const res = await t.http().post(cycles()).set(authHeader(organizer)).send({ startsOn: '2026-03-02', weeks: 15, amount: 17500, slots: 11, payoutWeekday: 5, ...change }).expect(400);
    expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
  });

  it('lets organizers draft cycles, any member read them, and hides them from others', async () => {
    const body = { startsOn: '2026-03-02', weeks: 4, amount: 100, slots: 1, payoutWeekday: 1 };
    await t.http().post(cycles()).set(authHeader(treasurer)).send(body).expect(403);
    await t.http().post(cycles()).set(authHeader(outsider)).send(body).expect(404);
    const list = await t.http().get(cycles()).set(authHeader(member)).expect(200);
    expect(list.body.items.length).toBeGreaterThan(0);
    const one = await t.http().get(`${cycles()}/${list.body.items[0].id}`).set(authHeader(member)).expect(200);
    expect(one.body.id).toBe(list.body.items[0].id);
    await t.http().get(`${cycles()}/${one.body.id}/schedule`).set(authHeader(member)).expect(200);
    await t.http().get(`${cycles()}/${one.body.id}/slots`).set(authHeader(member)).expect(403);
    await t.http().get(`${cycles()}/${one.body.id}`).set(authHeader(outsider)).expect(404);
    const elsewhere = await createCircle(t, outsider);
    await t.http().get(`${cycles(elsewhere)}/${one.body.id}`).set(authHeader(outsider)).expect(404);
    await t.http().get(`${cycles()}/${randomUUID()}`).set(authHeader(member)).expect(404);
  });

  describe('running cycles and the roster', () => {
    let r: string[];
    let first: string;
    let second: string;

    beforeAll(async () => {
      r = await addRecipients(t, circleId, organizer, 5, 'C');
      // Before any cycle: r[3] is active (offered and accepted), r[2] offered, the rest waiting.
      await transition(t, circleId, organizer, r[3], 'offer', { untilDays: 3 }).expect(200);
      await transition(t, circleId, organizer, r[3], 'accept').expect(200);
      await transition(t, circleId, organizer, r[2], 'offer', { untilDays: 3 }).expect(200);
      first = (await createCycle(t, circleId, organizer, { slots: 3, weeks: 6 })).id;
      second = (await createCycle(t, circleId, organizer, { slots: 3, weeks: 6, startsOn: '2026-03-01', payoutWeekday: 7 })).id;
    });

    it('fills slots from active, then offered, then waitlisted recipients in queue order', async () => {
      const res = await activateCycle(t, circleId, organizer, first);
      expect(res).toMatchObject({ status: 'active', filledSlots: 3, activatedAt: expect.any(String) });
      expect((await slotsOf(first)).map((s) => [s.slotNo, s.recipientId, s.fromWeek, s.state])).toEqual([
        [1, r[3], 1, 'holding'],
        [2, r[2], 1, 'holding'],
        [3, r[0], 1, 'holding'],
      ]);
      expect(await statusOf(r[2])).toBe('active');
      expect(await statusOf(r[0])).toBe('active');
      expect(await statusOf(r[1])).toBe('waitlisted');
    });

    it('runs one cycle per circle at a time', async () => {
      const res = await t.http().post(`${cycles()}/${second}/activate`).set(authHeader(organizer)).expect(409);
      expect(res.body).toMatchObject({ type: 'urn:arvut:problem:invalid-state', detail: expect.stringContaining('Another cycle') });
      const again = await t.http().post(`${cycles()}/${first}/activate`).set(authHeader(organizer)).expect(409);
      expect(again.body.state).toBe('active');
      await t.http().post(`${cycles()}/${first}/activate`).set(authHeader(treasurer)).expect(403);
    });

    it('refuses an accept when every slot is held (invariant 7), leaving the offer open', async () => {
      await transition(t, circleId, organizer, r[1], 'offer', { untilDays: 3 }).expect(200);
      const res = await transition(t, circleId, organizer, r[1], 'accept').expect(409);
      expect(res.body.type).toBe('urn:arvut:problem:no-free-slot');
      expect(await statusOf(r[1])).toBe('offered');
      expect(await slotsOf(first)).toHaveLength(3);
    });

    it('keeps a paused recipient\'s slot, pays nobody in it while paused, and resumes them in it', async () => {
      await generateWeek(t, circleId, organizer, first, 1).expect(201);
      await transition(t, circleId, organizer, r[0], 'pause').expect(200);
      expect((await slotsOf(first)).find((s) => s.recipientId === r[0])).toMatchObject({ slotNo: 3, toWeek: 1, state: 'paused' });
      // The slot is still held: the offered r[1] cannot take it.
      await transition(t, circleId, organizer, r[1], 'accept').expect(409);

      await generateWeek(t, circleId, organizer, first, 2).expect(201);
      expect(await paidIn(first, 2)).toEqual([r[3], r[2]].sort());
      await transition(t, circleId, organizer, r[0], 'resume').expect(200);
      await generateWeek(t, circleId, organizer, first, 3).expect(201);
      expect(await paidIn(first, 3)).toEqual([r[3], r[2], r[0]].sort());
      expect((await slotsOf(first)).filter((s) => s.slotNo === 3).map((s) => [s.fromWeek, s.toWeek, s.state])).toEqual([
        [1, 1, 'ended'],
        [3, null, 'holding'],
      ]);
    });

    it('continues the same assignment when a pause spans no generated week', async () => {
      await transition(t, circleId, organizer, r[2], 'pause').expect(200);
      await transition(t, circleId, organizer, r[2], 'resume').expect(200);
      expect((await slotsOf(first)).filter((s) => s.recipientId === r[2]).map((s) => [s.slotNo, s.fromWeek, s.toWeek, s.state])).toEqual([[2, 1, null, 'holding']]);
    });

    it('frees the slot of a paused recipient who exits, for the next person from the next week', async () => {
      await transition(t, circleId, organizer, r[0], 'pause').expect(200);
      await transition(t, circleId, organizer, r[0], 'exit', { reason: 'moved' }).expect(200);
      await transition(t, circleId, organizer, r[1], 'accept').expect(200);
      const slot3 = (await slotsOf(first)).filter((s) => s.slotNo === 3);
      expect(slot3.map((s) => [s.recipientId, s.fromWeek, s.toWeek, s.state])).toEqual([
        [r[0], 1, 1, 'ended'],
        [r[0], 3, 3, 'ended'],
        [r[1], 4, null, 'holding'],
      ]);
      await generateWeek(t, circleId, organizer, first, 4).expect(201);
      expect(await paidIn(first, 4)).toEqual([r[3], r[2], r[1]].sort());
    });

    it('shows the schedule in the circle time zone, projecting weeks not generated yet', async () => {
      const res = await t.http().get(`${cycles()}/${first}/schedule`).set(authHeader(member)).expect(200);
      expect(res.body.weeks.map((w: { week: number; payoutDate: string; generated: boolean }) => [w.week, w.payoutDate, w.generated])).toEqual([
        [1, '2026-03-06', true],
        [2, '2026-03-13', true],
        [3, '2026-03-20', true],
        [4, '2026-03-27', true],
        [5, '2026-04-03', false],
        [6, '2026-04-10', false],
      ]);
      // New York moves to summer time on 2026-03-08: local midnight comes an hour earlier in UTC.
      expect(res.body.weeks[0].payoutDayStartsAt).toBe('2026-03-06T05:00:00.000Z');
      expect(res.body.weeks[1].payoutDayStartsAt).toBe('2026-03-13T04:00:00.000Z');
      expect(res.body.weeks[1]).toMatchObject({ due: { count: 2, amount: 35000 }, approved: { count: 0, amount: 0 }, sent: { count: 0, amount: 0 } });
      expect(res.body.weeks[4]).toMatchObject({ due: { count: 3, amount: 52500 }, approved: { count: 0, amount: 0 } });
    });

    it('closes a cycle once; recipients stay active and fill the next cycle first', async () => {
      const closed = await t.http().post(`${cycles()}/${first}/close`).set(authHeader(organizer)).expect(200);
      expect(closed.body).toMatchObject({ status: 'closed', filledSlots: 0, closedAt: expect.any(String) });
      expect((await t.http().post(`${cycles()}/${first}/close`).set(authHeader(organizer)).expect(409)).body.state).toBe('closed');
      await t.http().post(`${cycles()}/${first}/activate`).set(authHeader(organizer)).expect(409);
      await generateWeek(t, circleId, organizer, first, 5).expect(409);
      expect(await statusOf(r[1])).toBe('active');

      await activateCycle(t, circleId, organizer, second);
      expect(new Set((await slotsOf(second)).map((s) => s.recipientId))).toEqual(new Set([r[3], r[2], r[1]]));
      expect(await statusOf(r[4])).toBe('waitlisted');
    });
  });
});
