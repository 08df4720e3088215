// Phishing defence (docs/trust.md): a circle's official handles answer "is $x one of ours?"
// with yes or no only, whatever the case or spacing, and no for a look-alike; organizers post
// alerts that members read, active ones first, until they expire; posting one emits an event
// without its text. Every bad input is a problem.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { registerAndLogin } from '../support/auth.js';
import { addMember, createCircle, type TestUser } from '../support/circles.js';
import { authHeader, expectProblem } from '../support/problems.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { HANDLE_CHECK_LIMIT_PER_MINUTE } from '../../src/trust/handle-check-rate-limit.guard.js';

const inDays = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString();

describe('official handles and alerts', () => {
  let t: TestApp;
  let organizer: TestUser;
  let member: TestUser;
  let donor: TestUser;
  let outsider: TestUser;
  let circleId: string;
  const path = (rest: string) => `/v1/circles/${circleId}/${rest}`;
  const check = (user: TestUser | undefined, handle: unknown) => {
    const req = t.http().post(path('official-handles/check'));
    if (user) req.set(authHeader(user));
    return req.send({ handle });
  };

  beforeAll(async () => {
    t = await createTestApp();
    organizer = await registerAndLogin(t);
    circleId = await createCircle(t, organizer);
    member = await addMember(t, circleId, organizer, 'member');
    donor = await addMember(t, circleId, organizer, 'donor');
    outsider = await registerAndLogin(t);
  });

  afterAll(async () => {
    await t?.close();
  });

  it('says yes for an official handle in any capitalization or spacing, and no for a look-alike', async () => {
    const added = await t.http().post(path('official-handles')).set(authHeader(organizer)).send({ method: 'cashapp', handle: '$EastsideAid' }).expect(201);
    expect(added.body).toEqual({ id: expect.any(String), method: 'cashapp', handle: '$EastsideAid', addedAt: expect.any(String) });
    await t.http().post(path('official-handles')).set(authHeader(organizer)).send({ method: 'zelle', handle: 'Treasurer@Eastside.org' }).expect(201);

    for (const asked of ['$EastsideAid', '$eastsideaid', 'EASTSIDEAID', '  $ Eastside Aid ', '@eastsideaid', 'ｅａｓｔｓｉｄｅａｉｄ', 'treasurer@eastside.org ']) {
      expect([asked, (await check(member, asked).expect(200)).body]).toEqual([asked, { official: true }]);
    }
    for (const asked of ['$EastsideAid2', '$Eastside-Aid', '$EastsideAld', '$EastsideAidd', 'eastside.org']) {
      expect([asked, (await check(member, asked).expect(200)).body]).toEqual([asked, { official: false }]);
    }
    const listed = await t.http().get(path('official-handles')).set(authHeader(donor)).expect(200);
    expect(listed.body.map((h: { method: string; handle: string }) => [h.method, h.handle])).toEqual([['cashapp', '$EastsideAid'], ['zelle', 'Treasurer@Eastside.org']]);
  });

  it('is for members, and for anyone only when the circle\'s receipts are public', async () => {
    expectProblem(await check(outsider, '$EastsideAid'), 404, 'not-found');
    expectProblem(await check(undefined, '$EastsideAid'), 404, 'not-found');
    expectProblem(await t.http().get(path('official-handles')), 404, 'not-found');
    const circle = await t.http().get(path('').slice(0, -1)).set(authHeader(organizer)).expect(200);
    await t.http().patch(path('').slice(0, -1)).set(authHeader(organizer)).set('If-Match', circle.headers.etag as string).send({ receiptVisibility: 'public' }).expect(200);
    expect((await check(undefined, '$eastsideaid').expect(200)).body).toEqual({ official: true });
    expect((await t.http().get(path('official-handles')).expect(200)).body).toHaveLength(2);
    // A sent token is checked: a forged one is 401, never quietly anonymous.
    expectProblem(await t.http().post(path('official-handles/check')).set('Authorization', 'Bearer forged').send({ handle: 'x' }), 401, 'unauthenticated');
  });

  it('lets organizers alone add and remove handles, and refuses bad input with problems', async () => {
    expectProblem(await t.http().post(path('official-handles')).set(authHeader(member)).send({ method: 'venmo', handle: '@x' }), 403, 'forbidden');
    expectProblem(await t.http().post(path('official-handles')).set(authHeader(organizer)).send({ method: 'cashapp', handle: ' $EASTSIDE aid' }), 409, 'conflict');
    expectProblem(await t.http().post(path('official-handles')).set(authHeader(organizer)).send({ method: 'cash', handle: 'x' }), 400, 'validation-failed');
    expectProblem(await t.http().post(path('official-handles')).set(authHeader(organizer)).send({ method: 'venmo', handle: ' $@ ' }), 400, 'validation-failed');
    expectProblem(await t.http().post(path('official-handles')).set(authHeader(organizer)).send({ method: 'venmo', handle: 'x'.repeat(101) }), 400, 'validation-failed');
    expectProblem(await check(member, ''), 400, 'validation-failed');
    expectProblem(await check(member, 42), 400, 'validation-failed');
    const venmo = await t.http().post(path('official-handles')).set(authHeader(organizer)).send({ method: 'venmo', handle: '@eastside-venmo' }).expect(201);
    expectProblem(await t.http().delete(path(`official-handles/${venmo.body.id}`)).set(authHeader(member)), 403, 'forbidden');
    await t.http().delete(path(`official-handles/${venmo.body.id}`)).set(authHeader(organizer)).expect(204);
    expectProblem(await t.http().delete(path(`official-handles/${venmo.body.id}`)).set(authHeader(organizer)), 404, 'not-found');
    expect((await check(member, '@eastside-venmo').expect(200)).body).toEqual({ official: false });
    // The database keeps a handle listed once per method, whatever races the service check.
    const row = (await t.sql.query(`SELECT circle_id, normalized FROM official_handles WHERE method = 'cashapp'`)).rows[0];
    await expect(t.sql.query(`INSERT INTO official_handles (id, circle_id, method, handle, normalized, added_by) VALUES (gen_random_uuid(), $1, 'cashapp', 'dup', $2, $3)`, [row.circle_id, row.normalized, organizer.userId])).rejects.toMatchObject({ code: '23505' });
  });

  it('limits how many checks one caller makes a minute', async () => {
    const checker = await addMember(t, circleId, organizer, 'member');
    for (let i = 0; i < HANDLE_CHECK_LIMIT_PER_MINUTE; i++) await check(checker, `$guess${i}`).expect(200);
    const refused = await check(checker, '$one-more');
    expectProblem(refused, 429, 'rate-limited');
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
  });

  it('shows an alert to members, active ones first, until it expires; posting emits an event without the text', async () => {
    const text = 'Someone is impersonating our Cash App. We only use the handles listed in the app.';
    const posted = await t.http().post(path('alerts')).set(authHeader(organizer)).send({ severity: 'critical', text, expiresAt: inDays(7) }).expect(201);
    expect(posted.body).toMatchObject({ severity: 'critical', text, expired: false });
    await t.http().post(path('alerts')).set(authHeader(organizer)).send({ severity: 'info', text: 'Meeting moved to Thursday.', expiresAt: inDays(2) }).expect(201);
    const warning = await t.http().post(path('alerts')).set(authHeader(organizer)).send({ severity: 'warning', text: 'Fake texts ask for a fee.', expiresAt: inDays(1) }).expect(201);

    const seen = await t.http().get(path('alerts')).set(authHeader(member)).expect(200);
    expect(seen.body.map((a: { severity: string }) => a.severity)).toEqual(['critical', 'warning', 'info']);
    expectProblem(await t.http().get(path('alerts')).set(authHeader(outsider)), 404, 'not-found');

    // Expired (moved into the past directly: no test waits for a clock).
    await t.sql.query(`UPDATE circle_alerts SET posted_at = now() - interval '2 days', expires_at = now() - interval '1 day' WHERE id = $1`, [warning.body.id]);
    expect((await t.http().get(path('alerts')).set(authHeader(member)).expect(200)).body.map((a: { id: string }) => a.id)).not.toContain(warning.body.id);
    const all = await t.http().get(path('alerts?includeExpired=true')).set(authHeader(member)).expect(200);
    expect(all.body.map((a: { severity: string; expired: boolean }) => [a.severity, a.expired])).toEqual([['critical', false], ['info', false], ['warning', true]]);

    const events = (await t.sql.query(`SELECT data FROM outbox_events WHERE circle_id = $1 AND type = 'alert.posted' ORDER BY sequence`, [circleId])).rows;
    expect(events).toHaveLength(3);
    expect(events[0].data).toEqual({ alertId: posted.body.id, severity: 'critical', expiresAt: posted.body.expiresAt, at: expect.any(String) });
    const feed = await t.http().get(path('events?limit=100')).set(authHeader(member)).expect(200);
    expect(feed.body.items.filter((e: { type: string }) => e.type === 'alert.posted')).toHaveLength(3);
    expect(feed.text).not.toContain('impersonating');
  });

  it('refuses links in an alert unless the organizer allows them, and other bad alerts', async () => {
    const post = (body: object, user = organizer) => t.http().post(path('alerts')).set(authHeader(user)).send({ severity: 'warning', expiresAt: inDays(3), ...body });
    for (const text of ['Pay us at cash.app/$EastsideAid', 'see https://example.org', 'new site: eastside-aid.com', 'EASTSIDE-AID.ORG', 'mail help@eastside.org', 'eastside[.]org', 'eastside (dot) org', 'eastside . org', 'hxxps://eastside', 'ｅａｓｔｓｉｄｅ．ｏｒｇ', 'go to 10.0.0.1']) {
      const res = await post({ text });
      expect([text, res.status]).toEqual([text, 400]);
      expectProblem(res, 400, 'validation-failed');
    }
    for (const text of ['Our Cash App changed. Click nothing you are sent.', 'We never ask for a fee, e.g. for a grant.', 'Grants of $50.00 only.']) {
      expect([text, (await post({ text })).status]).toEqual([text, 201]);
    }
    await post({ text: 'Our new page: https://eastside.example.org', allowLinks: true }).expect(201);
    expectProblem(await post({ text: 'x' }, member), 403, 'forbidden');
    expectProblem(await post({ text: 'x'.repeat(501) }), 400, 'validation-failed');
    expectProblem(await post({ text: '   ' }), 400, 'validation-failed');
    expectProblem(await post({ text: 'x', severity: 'panic' }), 400, 'validation-failed');
    expectProblem(await post({ text: 'x', expiresAt: inDays(-1) }), 400, 'validation-failed');
    expectProblem(await post({ text: 'x', expiresAt: inDays(400) }), 400, 'validation-failed');
    expectProblem(await post({ text: 'x', expiresAt: 'tomorrow' }), 400, 'validation-failed');
    expectProblem(await t.http().get(path('alerts?includeExpired=maybe')).set(authHeader(member)), 400, 'validation-failed');
    // The database holds the length and the expiry too.
    await expect(t.sql.query(`INSERT INTO circle_alerts (id, circle_id, severity, text, posted_by, expires_at) VALUES (gen_random_uuid(), $1, 'info', 'x', $2, now() - interval '1 minute')`, [circleId, organizer.userId])).rejects.toMatchObject({ code: '23514' });
  });
});
