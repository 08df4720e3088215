// The reference story, end to end through HTTP: 11 neighbours paid
// 17500 a week for 15 weeks; one finds a job in week 6 and the first person waiting takes
// the slot from week 7.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { registerAndLogin } from '../support/auth.js';
import { addMember, createCircle, type TestUser } from '../support/circles.js';
import { balances, checkLedger, postAdjustment } from '../support/ledger.js';
import { acknowledgementToken, activateCycle, addRecipients, allPayouts, createCycle, generateWeek, payoutAction, sendPayout } from '../support/payouts.js';
import { transition } from '../support/roster.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { authHeader } from '../support/problems.js';

const WEEKS = 15;
const SLOTS = 11;
const AMOUNT = 17500;

describe('reference story: a 15-week cycle paying 11 neighbours', () => {
  let t: TestApp;
  let organizer: TestUser;
  let treasurer: TestUser;
  let circleId: string;
  let cycleId: string;
  let recipients: string[];
  let firstPayout: string;


  beforeAll(async () => {
    t = await createTestApp();
    organizer = await registerAndLogin(t);
    circleId = await createCircle(t, organizer, { timezone: 'America/New_York' });
    treasurer = await addMember(t, circleId, organizer, 'treasurer');
    // 11 fill the slots; the 12th and 13th wait, in that order.
    recipients = await addRecipients(t, circleId, organizer, SLOTS + 2, 'Neighbour ');
    cycleId = (await createCycle(t, circleId, organizer, { startsOn: '2026-03-02', weeks: WEEKS, amount: AMOUNT, slots: SLOTS, payoutWeekday: 5 })).id;
  });
  afterAll(async () => {
    await t.close();
  });

  it('runs the whole cycle: weekly generation, approval and sending, with one hand-over', async () => {
    const activated = await activateCycle(t, circleId, organizer, cycleId);
    expect(activated).toMatchObject({ status: 'active', filledSlots: SLOTS, firstPayoutDate: '2026-03-06', lastPayoutDate: '2026-06-12' });

    const leaver = recipients[2];
    const firstWaiting = recipients[SLOTS];
    for (let week = 1; week <= WEEKS; week++) {
      // The donors' money for the week arrives (recorded as cash adjustments).
      expect((await postAdjustment(t, organizer, circleId, { direction: 'in', amount: SLOTS * AMOUNT, memo: `week ${week} pledges` })).status).toBe(201);

      const generated = await generateWeek(t, circleId, organizer, cycleId, week).expect(201);
      expect(generated.body).toMatchObject({ week, created: SLOTS });
      if (week === 1 || week === 7) {
        const again = await generateWeek(t, circleId, organizer, cycleId, week).expect(200);
        expect(again.body.created).toBe(0);
        expect(again.body.payouts.map((p: { id: string }) => p.id).sort()).toEqual(generated.body.payouts.map((p: { id: string }) => p.id).sort());
      }
      const ids: string[] = generated.body.payouts.map((p: { id: string }) => p.id);
      const paid = new Set(generated.body.payouts.map((p: { recipientId: string }) => p.recipientId));
      expect(paid.has(leaver)).toBe(week <= 6);
      expect(paid.has(firstWaiting)).toBe(week >= 7);

      for (const res of await Promise.all(ids.map((id) => payoutAction(t, circleId, organizer, id, 'approve')))) expect(res.status).toBe(200);
      const sent = await Promise.all(ids.map((id, i) => sendPayout(t, circleId, treasurer, id, { method: 'cashapp', referenceLast4: `W${String(week).padStart(2, '0')}${i % 10}` })));
      for (const res of sent) {
        expect(res.status).toBe(200);
        expect(res.body).toMatchObject({ status: 'sent', method: 'cashapp', amount: AMOUNT, currency: 'USD' });
      }
      if (week === 1) firstPayout = ids[0];

      if (week === 6) {
        // The recipient found a job: the slot is offered to the first person waiting, who accepts.
        await transition(t, circleId, organizer, leaver, 'exit', { reason: 'employed' }).expect(200);
        const offered = await t.http().get(`/v1/circles/${circleId}/recipients/${firstWaiting}`).set(authHeader(organizer)).expect(200);
        expect(offered.body.status).toBe('offered');
        const stillWaiting = await t.http().get(`/v1/circles/${circleId}/recipients/${recipients[SLOTS + 1]}`).set(authHeader(organizer)).expect(200);
        expect(stillWaiting.body.status).toBe('waitlisted');
        await transition(t, circleId, organizer, firstWaiting, 'accept').expect(200);
      }
    }

    // Exactly 15 × 11 × 17500 went out, through the ledger, which checks clean.
    const books = await balances(t, organizer, circleId);
    expect(books.payouts).toBe(WEEKS * SLOTS * AMOUNT);
    expect(books.payouts).toBe(2_887_500);
    expect(books.pool).toBe(0);
    const check = await checkLedger(t, organizer, circleId);
    expect(check.results.filter((r) => !r.ok)).toEqual([]);
    expect(check.ok).toBe(true);

    // No recipient got two payouts for one week; the leaver got weeks 1–6, the newcomer 7–15.
    const payouts = await allPayouts(t, circleId, treasurer, { cycleId });
    expect(payouts).toHaveLength(WEEKS * SLOTS);
    expect(new Set(payouts.map((p) => `${p.recipientId}:${p.week}`)).size).toBe(WEEKS * SLOTS);
    expect(payouts.every((p) => p.status === 'sent' && p.amount === AMOUNT)).toBe(true);
    const weeksOf = (id: string) => payouts.filter((p) => p.recipientId === id).map((p) => p.week).sort((a, b) => a - b);
    expect(weeksOf(leaver)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(weeksOf(firstWaiting)).toEqual([7, 8, 9, 10, 11, 12, 13, 14, 15]);
    expect(weeksOf(recipients[SLOTS + 1])).toEqual([]);
    // Treasurers see whom they paid by alias (the leaver's up to week 6, the newcomer's after).
    for (const p of payouts) expect(p.recipientAlias).toBe(`Neighbour ${recipients.indexOf(p.recipientId) + 1}`);
    const duplicates = await t.sql.query('SELECT 1 FROM payouts WHERE cycle_id = $1 GROUP BY recipient_id, week HAVING count(*) > 1', [cycleId]);
    expect(duplicates.rowCount).toBe(0);

    // The newcomer took over the leaver's slot number.
    const slots = await t.http().get(`/v1/circles/${circleId}/cycles/${cycleId}/slots?limit=100`).set(authHeader(treasurer)).expect(200);
    const slot3 = slots.body.items.filter((s: { slotNo: number }) => s.slotNo === 3);
    expect(slot3).toEqual([
      expect.objectContaining({ recipientId: leaver, fromWeek: 1, toWeek: 6, state: 'ended' }),
      expect.objectContaining({ recipientId: firstWaiting, fromWeek: 7, toWeek: null, state: 'holding' }),
    ]);
  }, 90_000);

  it('shows every week due, approved and sent in the schedule', async () => {
    const res = await t.http().get(`/v1/circles/${circleId}/cycles/${cycleId}/schedule`).set(authHeader(treasurer)).expect(200);
    expect(res.body).toMatchObject({ cycleId, timezone: 'America/New_York', currency: 'USD' });
    expect(res.body.weeks).toHaveLength(WEEKS);
    const full = { count: SLOTS, amount: SLOTS * AMOUNT };
    for (const week of res.body.weeks) expect(week).toMatchObject({ generated: true, due: full, approved: full, sent: full });
    expect(res.body.weeks[0]).toMatchObject({ week: 1, payoutDate: '2026-03-06', payoutDayStartsAt: '2026-03-06T05:00:00.000Z' });
    expect(res.body.weeks[1]).toMatchObject({ week: 2, payoutDate: '2026-03-13', payoutDayStartsAt: '2026-03-13T04:00:00.000Z' });
  });

  it('lets a recipient acknowledge a payout once through the link an organizer issued', async () => {
    const token = await acknowledgementToken(t, circleId, organizer, firstPayout);
    const res = await t.http().post(`/v1/payout-acknowledgements/${token}`).expect(200);
    expect(res.body).toMatchObject({ status: 'acknowledged', amount: AMOUNT, currency: 'USD', payoutDate: '2026-03-06' });
    expect(JSON.stringify(res.body)).not.toMatch(/Neighbour/);
    const again = await t.http().post(`/v1/payout-acknowledgements/${token}`).expect(409);
    expect(again.body.type).toBe('urn:arvut:problem:acknowledgement-used');
    const acknowledged = await allPayouts(t, circleId, treasurer, { cycleId, status: 'acknowledged' });
    expect(acknowledged).toHaveLength(1);
  });

  it('closes the cycle, keeping every payout', async () => {
    const closed = await t.http().post(`/v1/circles/${circleId}/cycles/${cycleId}/close`).set(authHeader(organizer)).expect(200);
    expect(closed.body).toMatchObject({ status: 'closed', filledSlots: 0, generatedWeeks: WEEKS });
    expect(await allPayouts(t, circleId, treasurer, { cycleId })).toHaveLength(WEEKS * SLOTS);
  });
});
