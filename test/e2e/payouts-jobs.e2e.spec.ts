// The payout-day job: generation in each circle's time zone, exactly once however many
// API instances run it at the same moment.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { registerAndLogin } from '../support/auth.js';
import { createCircle, type TestUser } from '../support/circles.js';
import { activateCycle, addRecipients, createCycle } from '../support/payouts.js';
import { transition } from '../support/roster.js';
import { createSecondInstance, createTestApp, type TestApp, type TestInstance } from '../support/test-app.js';
import { isoWeekday, localDate } from '../../src/cycles/schedule.js';
import { JobsService } from '../../src/jobs/jobs.service.js';

/** A circle in `timezone` with an active cycle of `slots` recipients; returns the cycle id. */
async function runningCycle(t: TestApp, organizer: TestUser, timezone: string, cycle: { startsOn: string; payoutWeekday: number; weeks?: number }, slots = 3): Promise<string> {
  const circleId = await createCircle(t, organizer, { timezone });
  await addRecipients(t, circleId, organizer, slots);
  const { id } = await createCycle(t, circleId, organizer, { weeks: 6, amount: 17500, slots, ...cycle });
  await activateCycle(t, circleId, organizer, id);
  return id;
}

async function payoutWeeks(t: TestApp, cycleId: string): Promise<number[]> {
  const { rows } = await t.sql.query<{ week: number }>('SELECT week FROM payouts WHERE cycle_id = $1 ORDER BY week', [cycleId]);
  return rows.map((r) => r.week);
}

describe('payout-day job', () => {
  let t: TestApp;
  let second: TestInstance;
  let organizer: TestUser;

  beforeAll(async () => {
    t = await createTestApp();
    second = await createSecondInstance(t);
    organizer = await registerAndLogin(t);
  });
  afterAll(async () => {
    await second.close();
    await t.close();
  });

  it('is not started in tests unless asked for', async () => {
    expect(t.app.get(JobsService).running).toBe(false);
    // Its schema is made when the database is prepared; its tables only when the jobs start.
    const tables = await t.sql.query(`SELECT 1 FROM information_schema.tables WHERE table_schema = 'pgboss'`);
    expect(tables.rowCount).toBe(0);
  });

  it('creates exactly one payout set when two instances run it at the same moment', async () => {
    const now = new Date();
    const today = localDate(now, 'America/New_York');
    const cycleId = await runningCycle(t, organizer, 'America/New_York', { startsOn: today, payoutWeekday: isoWeekday(today) }, 4);
    const [a, b] = await Promise.all([t.app.get(JobsService).runPayoutDay(now), second.app.get(JobsService).runPayoutDay(now)]);
    expect(a.created + b.created).toBe(4);
    expect(a.failed + b.failed).toBe(0);
    expect(await payoutWeeks(t, cycleId)).toEqual([1, 1, 1, 1]);
    const history = await t.sql.query(`SELECT 1 FROM payout_history h JOIN payouts p ON p.id = h.payout_id WHERE p.cycle_id = $1`, [cycleId]);
    expect(history.rowCount).toBe(4);

    // Running again the same day changes nothing.
    const again = await t.app.get(JobsService).runPayoutDay(now);
    expect(await payoutWeeks(t, cycleId)).toEqual([1, 1, 1, 1]);
    expect(again.created).toBe(0);
  });

  it("follows each circle's own calendar day, and catches up weeks missed", async () => {
    // 12:00 UTC on Friday 2026-03-06 is already Saturday in Kiritimati (UTC+14), still Friday in New York.
    const now = new Date('2026-03-06T12:00:00Z');
    const saturday = { startsOn: '2026-03-07', payoutWeekday: 6 };
    const kiritimati = await runningCycle(t, organizer, 'Pacific/Kiritimati', saturday);
    const newYork = await runningCycle(t, organizer, 'America/New_York', saturday);
    // Started four Fridays ago (2026-02-13) with nothing generated: weeks 1–4 are all due.
    const behind = await runningCycle(t, organizer, 'UTC', { startsOn: '2026-02-13', payoutWeekday: 5 });
    await t.app.get(JobsService).runPayoutDay(now);
    expect(await payoutWeeks(t, kiritimati)).toEqual([1, 1, 1]);
    expect(await payoutWeeks(t, newYork)).toEqual([]);
    expect(await payoutWeeks(t, behind)).toEqual([1, 1, 1, 2, 2, 2, 3, 3, 3, 4, 4, 4]);
    const dates = await t.sql.query<{ d: string }>('SELECT DISTINCT payout_date::text AS d FROM payouts WHERE cycle_id = $1 ORDER BY d', [behind]);
    expect(dates.rows.map((r) => r.d)).toEqual(['2026-02-13', '2026-02-20', '2026-02-27', '2026-03-06']);
  });

  it('runs the roster, vault and pledge housekeeping through the same service', async () => {
    const circleId = await createCircle(t, organizer);
    const [recipientId] = await addRecipients(t, circleId, organizer, 1);
    await transition(t, circleId, organizer, recipientId, 'offer', { untilDays: 1 }).expect(200);
    const jobs = t.app.get(JobsService);
    expect(await jobs.runOfferExpiry(new Date(Date.now() + 2 * 86_400_000))).toBeGreaterThanOrEqual(1);
    expect((await t.sql.query('SELECT status FROM recipients WHERE id = $1', [recipientId])).rows[0].status).toBe('waitlisted');
    expect(await jobs.runVaultRetentionPurge(new Date())).toEqual(expect.any(Number));
    expect(await jobs.runPledgeLapse(new Date())).toMatchObject({ checked: expect.any(Number) });
    expect(await jobs.runPledgeCompletion(new Date())).toMatchObject({ completed: expect.any(Number) });
  });

  it('purges idempotency keys only after their retention', async () => {
    const insert = `INSERT INTO idempotency_keys (principal_id, key, request_hash, response_status, response_body, expires_at)
                    VALUES ($1, $2, repeat('0', 64), 201, '{}', $3)`;
    const principal = organizer.userId;
    await t.sql.query(insert, [principal, 'expired-key', new Date(Date.now() - 60_000)]);
    await t.sql.query(insert, [principal, 'live-key', new Date(Date.now() + 3_600_000)]);
    expect(await t.app.get(JobsService).runIdempotencyPurge()).toBeGreaterThanOrEqual(1);
    const left = await t.sql.query('SELECT key FROM idempotency_keys WHERE principal_id = $1 AND key = ANY($2)', [principal, ['expired-key', 'live-key']]);
    expect(left.rows.map((r) => r.key)).toEqual(['live-key']);
  });
});

describe('jobs on pg-boss', () => {
  let t: TestApp;
  let second: TestInstance;

  beforeAll(async () => {
    t = await createTestApp({ JOBS_ENABLED: 'true' });
    second = await createSecondInstance(t);
  });
  afterAll(async () => {
    await second.close();
    await t.close();
  });

  it('runs the payout-day job queued on two instances into exactly one payout set, and stops cleanly', async () => {
    const organizer = await registerAndLogin(t);
    const today = localDate(new Date(), 'Europe/Berlin');
    const cycleId = await runningCycle(t, organizer, 'Europe/Berlin', { startsOn: today, payoutWeekday: isoWeekday(today) });
    const jobs = [t.app.get(JobsService), second.app.get(JobsService)];
    expect(jobs.every((j) => j.running)).toBe(true);

    const ids = await Promise.all(jobs.map((j) => j.enqueue('payout-day')));
    const deadline = Date.now() + 30_000;
    let states: string[] = [];
    while (Date.now() < deadline) {
      const { rows } = await t.sql.query<{ state: string }>('SELECT state FROM pgboss.job WHERE id = ANY($1::uuid[])', [ids]);
      states = rows.map((r) => r.state);
      if (states.length === 2 && states.every((s) => s === 'completed' || s === 'failed')) break;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    expect(states).toEqual(['completed', 'completed']);
    expect(await payoutWeeks(t, cycleId)).toEqual([1, 1, 1]);

    // Shutdown stops pg-boss and closes its connections.
    await Promise.all(jobs.map((j) => j.stop()));
    const database = new URL(t.databaseUrl).pathname.slice(1);
    const openConnections = async () => (await t.sql.query(`SELECT 1 FROM pg_stat_activity WHERE datname = $1 AND application_name = 'arvut-jobs'`, [database])).rowCount;
    // A closed connection's server process takes a moment to leave pg_stat_activity.
    for (let i = 0; i < 40 && (await openConnections()) !== 0; i++) await new Promise((resolve) => setTimeout(resolve, 50));
    expect(await openConnections()).toBe(0);
    expect(jobs.some((j) => j.running)).toBe(false);
  }, 60_000);
});
