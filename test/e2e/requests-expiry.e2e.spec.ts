// Undecided requests do not hold people's data forever (docs/grants.md, "Expiry"): after the
// circle's undecidedRetentionDays without activity the request-expiry job moves a submitted or
// in-review request to `expired` and deletes its vault row and files. The clock is the job's
// `now`, as in the other retention tests.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { registerAndLogin } from '../support/auth.js';
import { addMember, createCircle, type TestUser } from '../support/circles.js';
import { authHeader } from '../support/problems.js';
import { openRequest, putRequestSettings, requestAction } from '../support/requests.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { JobsService } from '../../src/jobs/jobs.service.js';

const DAY = 86_400_000;
const PDF = Buffer.from('%PDF-1.4\n1 0 obj\n<<>>\nendobj\n%%EOF\n');

describe('undecided requests expire after the circle\'s retention', () => {
  let t: TestApp;
  let circleId: string;
  let organizer: TestUser;
  let member: TestUser;
  const ask = { kind: 'grant' as const, category: 'food', amount: 1500, alias: 'E.', contact: 'EXPIRY-CONTACT-MARKER', note: 'EXPIRY-NOTE-MARKER' };
  const expireAt = (ms: number) => t.app.get(JobsService).runRequestExpiry(new Date(Date.now() + ms));
  const settings = (body: object) => putRequestSettings(t, circleId, organizer, { grantBudgetMonthly: null, twoPersonThreshold: null, attachmentsEnabled: true, ...body } as never);
  const detail = async (id: string) => (await t.http().get(`/v1/circles/${circleId}/requests/${id}`).set(authHeader(organizer)).expect(200)).body;

  beforeAll(async () => {
    t = await createTestApp();
    organizer = await registerAndLogin(t);
    circleId = await createCircle(t, organizer);
    member = await addMember(t, circleId, organizer, 'member');
  });
  afterAll(async () => {
    await t.close();
  });

  it('has a default of 90 days, bounded to 14–365, and keeps it when a PUT leaves it out', async () => {
    const start = await t.http().get(`/v1/circles/${circleId}/request-settings`).set(authHeader(member)).expect(200);
    expect(start.body.undecidedRetentionDays).toBe(90);
    for (const days of [13, 366, 30.5]) {
      const res = await settings({ undecidedRetentionDays: days }).expect(400);
      expect(res.body.errors.map((e: { field: string }) => e.field)).toEqual(['undecidedRetentionDays']);
    }
    expect((await settings({ undecidedRetentionDays: 20 }).expect(200)).body.undecidedRetentionDays).toBe(20);
    expect((await settings({}).expect(200)).body.undecidedRetentionDays).toBe(20);
    await expect(t.sql.query('UPDATE request_settings SET undecided_retention_days = 7 WHERE circle_id = $1', [circleId])).rejects.toThrow(/ck_request_settings_undecided_retention/);
  });

  it('expires an idle, undecided request and deletes its vault row and files; decided ones are left alone', async () => {
    const open = await openRequest(t, circleId, member, ask).expect(201);
    const inReview = await openRequest(t, circleId, member, ask).expect(201);
    const declined = await openRequest(t, circleId, member, ask).expect(201);
    await requestAction(t, circleId, organizer, inReview.body.id, 'review').expect(200);
    await requestAction(t, circleId, organizer, declined.body.id, 'decline', { reason: 'duplicate' }).expect(200);
    await t.http().post(`/v1/circles/${circleId}/requests/${open.body.id}/attachments`).set(authHeader(organizer)).attach('file', PDF, { filename: 'a.pdf', contentType: 'application/pdf' }).expect(201);

    // Within the circle's 20 days: nothing happens.
    expect(await expireAt(19 * DAY)).toBe(0);
    expect((await detail(open.body.id)).status).toBe('submitted');

    expect(await expireAt(21 * DAY)).toBe(2);
    for (const id of [open.body.id, inReview.body.id]) {
      const d = await detail(id);
      expect(d).toMatchObject({ status: 'expired', decidedAt: null });
      // The same history shape as every move: from, to, and the job as the actor.
      const moves = d.history.filter((h: { event: string }) => h.event === 'status_change');
      expect(moves[moves.length - 1]).toMatchObject({ from: id === open.body.id ? 'submitted' : 'in_review', to: 'expired', actor: 'job', actorUserId: null });
      expect(d.history[d.history.length - 1]).toMatchObject({ event: 'private_erased', actor: 'job', actorUserId: null });
      await t.http().get(`/v1/circles/${circleId}/requests/${id}/private`).set(authHeader(organizer)).expect(404);
    }
    const subjects = (await t.sql.query('SELECT subject_id FROM requests WHERE id = ANY($1::uuid[])', [[open.body.id, inReview.body.id]])).rows.map((r) => r.subject_id);
    expect((await t.sql.query('SELECT count(*)::int AS n FROM vault_entries WHERE recipient_id = ANY($1::uuid[])', [subjects])).rows[0].n).toBe(0);
    expect((await t.sql.query('SELECT count(*)::int AS n FROM vault_attachments WHERE subject_id = ANY($1::uuid[])', [subjects])).rows[0].n).toBe(0);
    // Decided earlier: not expired (its own retention runs from its closing, docs/privacy.md).
    expect((await detail(declined.body.id)).status).toBe('declined');
    // Final: nothing moves it on, and running again does nothing.
    await requestAction(t, circleId, organizer, open.body.id, 'approve').expect(409);
    expect(await expireAt(21 * DAY)).toBe(0);
    // The event says which state it reached, and nothing personal.
    const events = await t.sql.query(`SELECT data::text AS p FROM outbox_events WHERE circle_id = $1 AND type = 'request.expired'`, [circleId]);
    expect(events.rows).toHaveLength(2);
    expect(events.rows.map((r) => r.p).join()).not.toMatch(/EXPIRY-(CONTACT|NOTE)-MARKER/);
  });

  it('counts from the last activity, not from the asking', async () => {
    const r = await openRequest(t, circleId, member, ask).expect(201);
    // Activity ten days on (an upload, a link issued, an update: each writes a history row).
    await t.sql.query(
      `INSERT INTO request_history (circle_id, request_id, event, from_status, to_status, actor, actor_user_id, at) VALUES ($1, $2, 'private_updated', 'submitted', 'submitted', 'link', NULL, now() + interval '10 days')`,
      [circleId, r.body.id],
    );
    expect(await expireAt(25 * DAY)).toBe(0);
    expect(await expireAt(31 * DAY)).toBe(1);
    expect((await detail(r.body.id)).status).toBe('expired');
  });

  it('the database lets only an undecided request expire', async () => {
    const r = await openRequest(t, circleId, member, ask).expect(201);
    await requestAction(t, circleId, organizer, r.body.id, 'decline', { reason: 'other' }).expect(200);
    await expect(t.sql.query(`UPDATE requests SET status = 'expired', decline_reason = NULL WHERE id = $1`, [r.body.id])).rejects.toMatchObject({ code: 'AR141' });
  });
});
