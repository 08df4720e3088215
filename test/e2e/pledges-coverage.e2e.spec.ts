import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { registerAndLogin } from '../support/auth.js';
import { addMember, createCircle, type TestUser } from '../support/circles.js';
import { activateCycle, addRecipients, createCycle, generateWeek, payoutAction, sendPayout } from '../support/payouts.js';
import { pledgeAction, postContribution, postPledge } from '../support/pledges.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { CoverageService } from '../../src/pledges/coverage.service.js';
import { PledgeCompletion } from '../../src/pledges/pledge-completion.service.js';
import { authHeader } from '../support/problems.js';
import { asRoute } from '../../src/circles/circle-access-prefetch.js';

const DAY = 86_400_000;
const dateAt = (ms: number) => new Date(ms).toISOString().slice(0, 10);
/** ISO weekday (1 = Monday … 7 = Sunday) of a UTC date. */
const isoWeekday = (date: string) => ((new Date(`${date}T00:00:00Z`).getUTCDay() + 6) % 7) + 1;

describe('coverage of a cycle', () => {
  let t: TestApp;
  let organizer: TestUser;
  let treasurer: TestUser;
  let member: TestUser;
  let outsider: TestUser;
  let circleId: string;
  let cycleId: string;
  const start = dateAt(Date.now() - 14 * DAY);


  beforeAll(async () => {
    t = await createTestApp();
    organizer = await registerAndLogin(t);
    outsider = await registerAndLogin(t);
    circleId = await createCircle(t, organizer, { timezone: 'UTC' });
    treasurer = await addMember(t, circleId, organizer, 'treasurer');
    member = await addMember(t, circleId, organizer, 'member');
    const donor = await addMember(t, circleId, organizer, 'donor');
    await addRecipients(t, circleId, organizer, 2);
    // Four weeks paid on the start's weekday: two weeks past, this week's payout day today, one to come.
    cycleId = (await createCycle(t, circleId, organizer, { startsOn: start, weeks: 4, amount: 1000, slots: 2, payoutWeekday: isoWeekday(start) })).id;
    await activateCycle(t, circleId, organizer, cycleId);

    expect((await postContribution(t, treasurer, circleId, { amount: 5000, method: 'cash', receivedOn: dateAt(Date.now() - 10 * DAY) })).status).toBe(201);
    expect((await postContribution(t, treasurer, circleId, { amount: 3000, method: 'zelle', receivedOn: dateAt(Date.now()) })).status).toBe(201);
    expect((await postPledge(t, donor, circleId, { amount: 1500, method: 'manual' })).status).toBe(201);
    expect((await postPledge(t, donor, circleId, { amount: 600, method: 'manual', cycleId })).status).toBe(201);
    const paused = await postPledge(t, donor, circleId, { amount: 800, method: 'manual' });
    await pledgeAction(t, donor, circleId, paused.body.id, 'pause');

    const week1 = await generateWeek(t, circleId, organizer, cycleId, 1).expect(201);
    const first = week1.body.payouts[0].id as string;
    await payoutAction(t, circleId, organizer, first, 'approve').expect(200);
    await sendPayout(t, circleId, treasurer, first).expect(200);
  });
  afterAll(async () => {
    await t.close();
  });

  it('shows members, week by week, what is pledged, due, received and paid out, and how far the pool reaches', async () => {
    const res = await t.http().get(`/v1/circles/${circleId}/cycles/${cycleId}/coverage`).set(authHeader(member));
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      cycleId,
      currency: 'USD',
      poolBalance: 8000 - 1000,
      // Ongoing 1500 and this cycle's 600; the paused pledge does not count.
      pledgedPerWeek: 2100,
      duePerWeek: 2000,
      coverageRatio: '1.0500',
      weeksFundedAhead: 3,
    });
    expect(res.body.weeks.map((w: Record<string, unknown>) => [w.week, w.payoutDate, w.due, w.paidOut, w.received])).toEqual([
      [1, start, 2000, 1000, 0],
      [2, dateAt(Date.parse(start) + 7 * DAY), 2000, 0, 5000],
      [3, dateAt(Date.parse(start) + 14 * DAY), 2000, 0, 3000],
      [4, dateAt(Date.parse(start) + 21 * DAY), 2000, 0, 0],
    ]);
    // Weeks past: pledges made today did not stand then, and the pool held nothing yet.
    expect(res.body.weeks[0]).toMatchObject({ pledged: 0, poolBalance: 0, coverageRatio: '0.0000', weeksFundedAhead: 0 });
    // This week's payout day is not over: its closing balance is not known yet.
    expect(res.body.weeks[2]).toMatchObject({ pledged: 2100, poolBalance: null, coverageRatio: '1.0500', weeksFundedAhead: null });
  });

  it('closes each week at the pool balance the ledger held at the end of its payout day', async () => {
    const coverage = t.app.get(CoverageService);
    const later = new Date(Date.parse(start) + 22 * DAY + 3_600_000);
    const result = await asRoute('member', () => coverage.cycleCoverage(member.userId, circleId, cycleId, later));
    expect(result.weeks.map((w) => w.poolBalance)).toEqual([0, 0, 7000, 7000]);
    expect(result.weeks[3]).toMatchObject({ weeksFundedAhead: 3, pledged: 2100 });
    // After the last payout day nothing more is due.
    expect(result).toMatchObject({ duePerWeek: 0, coverageRatio: null, weeksFundedAhead: null });
  });

  it('is 404 outside the circle or for a cycle that is not there', async () => {
    await t.http().get(`/v1/circles/${circleId}/cycles/${cycleId}/coverage`).set(authHeader(outsider)).expect(404);
    await t.http().get(`/v1/circles/${circleId}/cycles/${randomUUID()}/coverage`).set(authHeader(member)).expect(404);
    await t.http().get(`/v1/circles/${circleId}/cycles/not-an-id/coverage`).set(authHeader(member)).expect(404);
  });

  it('completes pledges bound to the cycle once it has ended, and leaves ongoing pledges alone', async () => {
    const completion = t.app.get(PledgeCompletion);
    const statuses = async () => (await t.sql.query('SELECT amount::int AS amount, status FROM pledges WHERE circle_id = $1 ORDER BY amount', [circleId])).rows;
    expect((await completion.completeEnded(new Date())).completed).toBe(0);
    const afterLastPayoutDay = new Date(Date.parse(start) + 22 * DAY + 3_600_000);
    expect((await completion.completeEnded(afterLastPayoutDay)).completed).toBe(1);
    expect(await statuses()).toEqual([
      { amount: 600, status: 'completed' },
      { amount: 800, status: 'paused' },
      { amount: 1500, status: 'active' },
    ]);
    const history = await t.sql.query(`SELECT actor, at FROM pledge_history h JOIN pledges p ON p.id = h.pledge_id WHERE p.circle_id = $1 AND h.to_status = 'completed'`, [circleId]);
    expect(history.rows).toEqual([{ actor: 'job', at: afterLastPayoutDay }]);
  });
});
