// A small cycle with hand-computed figures: 3 slots of 1000 a week, four donors, a gift,
// one exit as `employed` and its replacement. Checks the report's numbers, the small-count
// suppression for everyone but organizers, and who may read it without logging in.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomBytes, randomUUID } from 'node:crypto';
import { ReportsService } from '../../src/transparency/reports/reports.service.js';
import { PUBLIC_READ_LIMIT_PER_MINUTE } from '../../src/transparency/public-read/public-read-rate-limit.guard.js';
import { registerAndLogin } from '../support/auth.js';
import { addMember, createCircle, type TestUser } from '../support/circles.js';
import { acknowledgementToken, activateCycle, createCycle, generateWeek, payoutAction, sendPayout } from '../support/payouts.js';
import { postContribution, postPledge } from '../support/pledges.js';
import { createRecipient, transition } from '../support/roster.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { authHeader } from '../support/problems.js';

const DAY = 86_400_000;
const dateAt = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const plus = (date: string, days: number) => dateAt(Date.parse(`${date}T00:00:00Z`) + days * DAY);
const isoWeekday = (date: string) => ((new Date(`${date}T00:00:00Z`).getUTCDay() + 6) % 7) + 1;
const withoutRequestId = ({ requestId: _ignored, ...rest }: Record<string, unknown>) => rest;

describe('cycle reports', () => {
  let t: TestApp;
  let organizer: TestUser;
  let treasurer: TestUser;
  let member: TestUser;
  let outsider: TestUser;
  let donors: TestUser[];
  let circleId: string;
  let cycleId: string;
  let recipients: { id: string; alias: string }[];
  const vault: string[] = [];
  // Week 1 was paid two weeks ago, week 2 a week ago, week 3 today; week 4 is to come.
  const start = dateAt(Date.now() - 14 * DAY);

  const reportPath = (circle = circleId, cycle = cycleId) => `/v1/circles/${circle}/reports/cycles/${cycle}`;

  async function runWeek(week: number, acknowledge = 0): Promise<void> {
    const generated = await generateWeek(t, circleId, organizer, cycleId, week).expect(201);
    for (const p of generated.body.payouts as { id: string }[]) {
      await payoutAction(t, circleId, organizer, p.id, 'approve').expect(200);
      await sendPayout(t, circleId, treasurer, p.id).expect(200);
      if (acknowledge-- > 0) await t.http().post(`/v1/payout-acknowledgements/${await acknowledgementToken(t, circleId, treasurer, p.id)}`).expect(200);
    }
  }

  beforeAll(async () => {
    t = await createTestApp();
    organizer = await registerAndLogin(t);
    outsider = await registerAndLogin(t);
    circleId = await createCircle(t, organizer, { timezone: 'UTC' });
    treasurer = await addMember(t, circleId, organizer, 'treasurer');
    member = await addMember(t, circleId, organizer, 'member');
    donors = [];
    for (let i = 0; i < 4; i++) donors.push(await addMember(t, circleId, organizer, 'donor'));
    recipients = [];
    for (let i = 1; i <= 4; i++) {
      const fields = { contact: `mk-${randomBytes(4).toString('hex')}`, payoutHandle: `$mk${randomBytes(4).toString('hex')}` };
      vault.push(fields.contact, fields.payoutHandle);
      recipients.push(await createRecipient(t, circleId, organizer, { alias: `Rep${randomBytes(3).toString('hex')}`, ...fields }));
    }
    cycleId = (await createCycle(t, circleId, organizer, { startsOn: start, weeks: 4, amount: 1000, slots: 3, payoutWeekday: isoWeekday(start) })).id;
    await activateCycle(t, circleId, organizer, cycleId);

    const pledges: string[] = [];
    for (const [i, amount] of [1000, 1000, 500, 500].entries()) pledges.push((await postPledge(t, donors[i], circleId, { amount, method: 'manual' })).body.id as string);
    const pay = async (i: number, receivedOn: string) => {
      const res = await postContribution(t, treasurer, circleId, { amount: [1000, 1000, 500, 500][i], method: 'cash', receivedOn, pledgeId: pledges[i] });
      expect(res.status).toBe(201);
    };
    // Week 1 (the 7 days ending on its payout date): a one-off gift of 5000 and all four donors.
    expect((await postContribution(t, treasurer, circleId, { amount: 5000, method: 'zelle', receivedOn: plus(start, -3) })).status).toBe(201);
    for (const i of [0, 1, 2, 3]) await pay(i, plus(start, -1));
    // Week 2: three of them; week 3 (today): two.
    for (const i of [0, 1, 2]) await pay(i, plus(start, 6));
    for (const i of [0, 1]) await pay(i, plus(start, 14));

    await runWeek(1, 2);
    await runWeek(2);
    // The first recipient found a job: the waiting one is offered the slot and takes it from week 3.
    await transition(t, circleId, organizer, recipients[0].id, 'exit', { reason: 'employed' }).expect(200);
    await transition(t, circleId, organizer, recipients[3].id, 'accept').expect(200);
    await runWeek(3);
  }, 60_000);
  afterAll(async () => {
    await t?.close();
  });

  it('gives organizers every figure week by week, as computed by hand', async () => {
    const res = await t.http().get(reportPath()).set(authHeader(organizer)).expect(200);
    expect(res.body).toMatchObject({
      circleId,
      cycleId,
      status: 'active',
      currency: 'USD',
      startsOn: start,
      amount: 1000,
      slots: 3,
      smallCountsSuppressed: false,
      // 5000 + 3000 + 2500 + 2000 in, 9 × 1000 out.
      poolBalance: 3500,
      pledgedPerWeek: 3000,
      duePerWeek: 3000,
      coverageRatio: '1.0000',
      weeksFundedAhead: 1,
      recipientsServed: 4,
      payoutsSent: 9,
      payoutsAcknowledged: 2,
      exitsByReason: { employed: 1, moved: 0, self_withdrew: 0, no_response: 0, other: 0 },
      waitlist: { recipients: 4, medianDays: 0 },
      donorRetention: { firstWeekDonors: 4, throughWeek: 3, stayed: 2 },
    });
    const week = (w: Record<string, unknown>) => [w.week, w.payoutDate, w.ended, w.moneyIn, w.moneyOut, w.poolBalance, w.pledged, w.due, w.coverageRatio, w.weeksFundedAhead, w.donorsActive, w.donorsStayedFromFirstWeek];
    expect(res.body.weeks.map(week)).toEqual([
      // Weeks 1 and 2 ended before any of this was recorded: the pool held nothing then, and no pledge stood.
      [1, start, true, 8000, 3000, 0, 0, 3000, '0.0000', 0, 4, 4],
      [2, plus(start, 7), true, 2500, 3000, 0, 0, 3000, '0.0000', 0, 3, 3],
      // Week 3's payout day is today: not over, so no closing balance yet.
      [3, plus(start, 14), false, 2000, 3000, null, 3000, 3000, '1.0000', null, 2, 2],
      [4, plus(start, 21), false, 0, 0, null, 3000, 3000, '1.0000', null, 0, 0],
    ]);
  });

  it('closes each week at the balance the ledger held at the end of its payout day', async () => {
    const afterTheCycle = new Date(Date.parse(`${plus(start, 22)}T01:00:00Z`));
    const report = await t.app.get(ReportsService).cycleReport(organizer.userId, circleId, cycleId, afterTheCycle);
    expect(report.weeks.map((w) => [w.ended, w.poolBalance, w.weeksFundedAhead])).toEqual([
      [true, 0, 0],
      [true, 0, 0],
      [true, 3500, 1],
      [true, 3500, 1],
    ]);
    expect(report).toMatchObject({ duePerWeek: 0, coverageRatio: null, weeksFundedAhead: null, donorRetention: { throughWeek: 4, stayed: 0 } });
  });

  it('shows counts below 3 as "<3" to everyone but organizers', async () => {
    for (const viewer of [member, treasurer, donors[3]]) {
      const res = await t.http().get(reportPath()).set(authHeader(viewer)).expect(200);
      expect(res.body).toMatchObject({
        smallCountsSuppressed: true,
        recipientsServed: 4,
        payoutsSent: 9,
        payoutsAcknowledged: '<3',
        exitsByReason: { employed: '<3', moved: '<3', self_withdrew: '<3', no_response: '<3', other: '<3' },
        waitlist: { recipients: 4, medianDays: 0 },
        donorRetention: { firstWeekDonors: 4, throughWeek: 3, stayed: '<3' },
        // Money is not a count: every amount is on the receipts already.
        poolBalance: 3500,
      });
      expect(res.body.weeks.map((w: Record<string, unknown>) => [w.donorsActive, w.donorsStayedFromFirstWeek, w.moneyIn])).toEqual([
        [4, 4, 8000],
        [3, 3, 2500],
        ['<3', '<3', 2000],
        ['<3', '<3', 0],
      ]);
    }
  });

  it('names no recipient, alias, donor or private detail', async () => {
    const text = JSON.stringify((await t.http().get(reportPath()).set(authHeader(organizer)).expect(200)).body);
    for (const secret of [...recipients.flatMap((r) => [r.id, r.alias]), ...donors.flatMap((d) => [d.userId, d.email]), ...vault]) expect(text).not.toContain(secret);
  });

  it('is 404 for a cycle that is not there, and for anyone outside a members-only circle, with or without a token', async () => {
    const missing = await t.http().get(reportPath(randomUUID())).set(authHeader(outsider)).expect(404);
    const foreign = await t.http().get(reportPath()).set(authHeader(outsider)).expect(404);
    const anonymous = await t.http().get(reportPath()).expect(404);
    expect(withoutRequestId(foreign.body)).toEqual(withoutRequestId(missing.body));
    expect(withoutRequestId(anonymous.body)).toEqual(withoutRequestId(missing.body));
    await t.http().get(reportPath(circleId, randomUUID())).set(authHeader(member)).expect(404);
    await t.http().get(reportPath(circleId, 'not-an-id')).set(authHeader(member)).expect(404);
  });

  it('refuses a token that is sent but not valid, instead of reading as anonymous', async () => {
    const res = await t.http().get(reportPath()).set('Authorization', 'Bearer not-a-jwt').expect(401);
    expect(res.body.type).toBe('urn:arvut:problem:unauthenticated');
  });

  describe('when the circle makes its receipts public', () => {
    beforeAll(async () => {
      const circle = await t.http().get(`/v1/circles/${circleId}`).set(authHeader(organizer)).expect(200);
      await t.http().patch(`/v1/circles/${circleId}`).set(authHeader(organizer)).set('If-Match', circle.headers.etag).send({ receiptVisibility: 'public' }).expect(200);
    });

    it('lets anyone read it without logging in, with small counts suppressed', async () => {
      const res = await t.http().get(reportPath()).expect(200);
      expect(res.body).toMatchObject({ cycleId, smallCountsSuppressed: true, payoutsAcknowledged: '<3', recipientsServed: 4, poolBalance: 3500 });
      // Someone signed in who is not a member reads it as the public does.
      const outsiders = await t.http().get(reportPath()).set(authHeader(outsider)).expect(200);
      expect(outsiders.body).toMatchObject({ smallCountsSuppressed: true, payoutsAcknowledged: '<3' });
    });

    it('still gives an organizer who sends a token the exact counts', async () => {
      const res = await t.http().get(reportPath()).set(authHeader(organizer)).expect(200);
      expect(res.body).toMatchObject({ smallCountsSuppressed: false, payoutsAcknowledged: 2 });
    });

    it('opens only this circle: other ids stay 404', async () => {
      await t.http().get(reportPath(circleId, randomUUID())).expect(404);
      const other = await createCircle(t, outsider);
      const foreignCycle = (await createCycle(t, other, outsider, { startsOn: start })).id;
      await t.http().get(reportPath(circleId, foreignCycle)).expect(404);
      await t.http().get(reportPath(other, foreignCycle)).expect(404);
    });

    it('limits anonymous readers per address, and not members', async () => {
      let last = await t.http().get(reportPath());
      for (let i = 0; i < PUBLIC_READ_LIMIT_PER_MINUTE && last.status === 200; i++) last = await t.http().get(reportPath());
      expect(last.status).toBe(429);
      expect(last.body.type).toBe('urn:arvut:problem:rate-limited');
      expect(Number(last.headers['retry-after'])).toBeGreaterThan(0);
      await t.http().get(reportPath()).set(authHeader(member)).expect(200);
    }, 60_000);
  });
});
