// The pages over HTTP (docs/pages.md): CSRF on every form, HTML forms read only on the pages'
// routes, link errors as localized HTML pages with the problem's status, a circle's page only
// when its receipts are public, page tokens redacted in logs — and the API's problem documents
// in the caller's language (docs/errors.md "Languages").
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import type { Response } from 'supertest';
import { registerAndLogin } from '../support/auth.js';
import { createCircle } from '../support/circles.js';
import { postAdjustment } from '../support/ledger.js';
import { pagesCircle, type PagesCircle } from '../support/pages.js';
import { authHeader } from '../support/problems.js';
import { createIntakeLink, submitIntake } from '../support/requests.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { readLinkKey, signReadLink } from '../../src/transparency/read-links/read-link-token.js';
import { addMember } from '../support/circles.js';

describe('pages over HTTP', () => {
  const logLines: string[] = [];
  let t: TestApp;
  let circle: PagesCircle;

  /** A page's CSRF token and the cookies that go with it (a browser's session). */
  const session = async (path: string): Promise<{ csrf: string; cookie: string }> => {
    const res = await t.http().get(path).expect(200);
    const csrf = /name="_csrf" value="([^"]+)"/.exec(res.text)![1];
    const cookie = ((res.headers['set-cookie'] as unknown as string[]) ?? []).map((c) => c.split(';')[0]).join('; ');
    return { csrf, cookie };
  };
  const expectHtml = (res: Response, status: number, title: string): void => {
    expect(res.status).toBe(status);
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(res.text).toContain(`<h1>${title}</h1>`);
    expect(res.text).not.toContain('urn:arvut:problem');
  };
  const requestStatus = async (token: string): Promise<string> => (await t.http().get(`/v1/person-links/${token}`).expect(200)).body.request.status;

  beforeAll(async () => {
    t = await createTestApp({}, { logLines });
    circle = await pagesCircle(t, 1);
  });
  afterAll(async () => {
    await t?.close();
  });

  it('refuses a form without this browser\'s CSRF token (403 page), and changes nothing', async () => {
    const link = await createIntakeLink(t, circle.circleId, circle.organizer);
    const { statusToken } = (await submitIntake(t, link.token, { kind: 'roster', alias: 'Csrf' }).expect(201)).body;
    const path = `/link/${statusToken}`;
    const mine = await session(path);
    const theirs = await session(path);
    // No token; a token of another browser; a token without its cookie.
    expectHtml(await t.http().post(`${path}/withdraw`).set('Cookie', mine.cookie).type('form').send({}), 403, 'Please try again');
    expectHtml(await t.http().post(`${path}/withdraw`).set('Cookie', mine.cookie).type('form').send({ _csrf: theirs.csrf }), 403, 'Please try again');
    expectHtml(await t.http().post(`${path}/withdraw`).type('form').send({ _csrf: mine.csrf }), 403, 'Please try again');
    expect(await requestStatus(statusToken)).toBe('submitted');
    const done = await t.http().post(`${path}/withdraw`).set('Cookie', mine.cookie).type('form').send({ _csrf: mine.csrf }).expect(303);
    expect(done.headers.location).toBe(`${path}?done=withdrawn`);
    expect(await requestStatus(statusToken)).toBe('withdrawn');
    // Withdrawn already: the same form now answers the state problem as a page.
    expectHtml(await t.http().post(`${path}/withdraw`).set('Cookie', mine.cookie).type('form').send({ _csrf: mine.csrf }), 409, 'This cannot be done now');
  });

  it('reads HTML forms on the pages\' routes only: the API still answers 415 to them', async () => {
    const res = await t.http().post('/v1/circles').set(authHeader(circle.organizer)).set('Idempotency-Key', randomUUID()).type('form').send({ name: 'Formed', currency: 'USD', timezone: 'UTC' });
    expect(res.status).toBe(415);
    expect(res.body.type).toBe('urn:arvut:problem:unsupported-media-type');
  });

  it('refuses hostile forms: too long (413), NUL characters (400), prototype keys harmlessly ignored', async () => {
    const path = `/link/${circle.linkTokens[0]}`;
    const { csrf, cookie } = await session(path);
    const long = await t.http().post(`${path}/handle`).set('Cookie', cookie).type('form').send({ _csrf: csrf, payoutHandle: 'x'.repeat(20_000) });
    expect(long.status).toBe(413);
    const nul = await t.http().post(`${path}/handle`).set('Cookie', cookie).type('form').send(`_csrf=${encodeURIComponent(csrf)}&payoutHandle=a%00b`);
    expect(nul.status).toBe(400);
    const polluted = await t.http().post(`${path}/handle`).set('Cookie', cookie).type('form').send(`__proto__[polluted]=1&constructor[prototype][polluted]=1&_csrf=${encodeURIComponent(csrf)}&payoutHandle=%24fresh`);
    expect(polluted.status).toBe(303);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    // A handle longer than the API allows is the same validation problem, as a page.
    expectHtml(await t.http().post(`${path}/handle`).set('Cookie', cookie).type('form').send({ _csrf: csrf, payoutHandle: 'y'.repeat(101) }), 400, 'Please check what you entered');
  });

  it('answers unknown, revoked and malformed links with a page in the person\'s language, never JSON', async () => {
    expectHtml(await t.http().get(`/link/${'A'.repeat(43)}`), 404, 'This link does not work');
    expectHtml(await t.http().get('/ack/not-a-token').set('Accept-Language', 'he'), 404, 'הקישור הזה לא עובד');
    expectHtml(await t.http().get(`/ask/${'B'.repeat(43)}`).set('Accept-Language', 'ar-SA'), 404, 'هذا الرابط لا يعمل');
    const revoked = circle.linkTokens[0];
    await t.http().delete(`/v1/circles/${circle.circleId}/recipients/${circle.recipientIds[0]}/status-link`).set(authHeader(circle.organizer)).expect(204);
    expectHtml(await t.http().get(`/link/${revoked}?lang=ar`), 404, 'هذا الرابط لا يعمل');
  });

  it('shows a circle\'s page only while its receipts are public', async () => {
    const organizer = await registerAndLogin(t);
    const privateCircle = await createCircle(t, organizer, { name: 'Private circle' });
    expectHtml(await t.http().get(`/circle/${privateCircle}`), 404, 'This link does not work');
    expectHtml(await t.http().get(`/circle/${randomUUID()}`), 404, 'This link does not work');
    const open = await t.http().get(`/circle/${circle.circleId}`).expect(200);
    expect(open.text).toContain('<h1>Elm Street Neighbours</h1>');
    expect(open.headers['content-security-policy']).toContain("script-src 'self'");
    expect(open.headers['content-security-policy']).not.toContain('unsafe-inline');
    expect(open.text).not.toMatch(/<script(?![^>]*\bsrc=)/);
    expect(open.text).not.toMatch(/\sstyle=/);
    expectHtml(await t.http().get(`/circle/${circle.circleId}?after=-1`), 400, 'Please check what you entered');
  });

  it('keeps the language chosen with ?lang= in a cookie, over Accept-Language', async () => {
    const chosen = await t.http().get('/?lang=he').set('Accept-Language', 'ar').expect(200);
    expect(chosen.text).toContain('<html lang="he" dir="rtl">');
    const cookie = (chosen.headers['set-cookie'] as unknown as string[]).map((c) => c.split(';')[0]).join('; ');
    expect((await t.http().get('/').set('Cookie', cookie).set('Accept-Language', 'ar').expect(200)).text).toContain('<html lang="he" dir="rtl">');
    expect((await t.http().get('/').set('Accept-Language', 'ar').expect(200)).text).toContain('<html lang="ar" dir="rtl">');
    expect((await t.http().get('/?lang=xx').expect(200)).text).toContain('<html lang="en" dir="ltr">');
  });

  it('localizes the API\'s problem documents by Accept-Language: title and detail, never the type', async () => {
    const english = await t.http().get(`/v1/circles/${randomUUID()}`).expect(401);
    const arabic = await t.http().get(`/v1/circles/${randomUUID()}`).set('Accept-Language', 'ar').expect(401);
    const hebrew = await t.http().get(`/v1/circles/${randomUUID()}`).set('Accept-Language', 'he-IL,en;q=0.5').expect(401);
    const other = await t.http().get(`/v1/circles/${randomUUID()}`).set('Accept-Language', 'fr').expect(401);
    expect(new Set([english, arabic, hebrew, other].map((r) => r.body.type))).toEqual(new Set(['urn:arvut:problem:unauthenticated']));
    expect(english.body.title).toBe('Authentication is required');
    expect(other.body).toMatchObject({ title: english.body.title, detail: english.body.detail });
    expect(arabic.body).toMatchObject({ title: 'يلزم تسجيل الدخول', detail: 'سجّل الدخول، أو أرسل رمز وصول صالحًا.' });
    expect(hebrew.body).toMatchObject({ title: 'נדרשת התחברות' });
    expect([arabic.headers['content-language'], hebrew.headers['content-language'], english.headers['content-language']]).toEqual(['ar', 'he', 'en']);
    // errors[] and its field names stay as they are; the words around them change.
    const invalid = await t.http().post('/v1/circles').set(authHeader(circle.organizer)).set('Idempotency-Key', randomUUID()).set('Accept-Language', 'he').send({ name: '', currency: 'USD', timezone: 'UTC' }).expect(400);
    expect(invalid.body.title).toBe('הבקשה אינה תקינה');
    expect(invalid.body.errors.map((e: { field: string }) => e.field)).toContain('name');
    // A route no controller has: the framework's 404, localized too.
    const nowhere = await t.http().get('/v1/nowhere/%E0%A4%A').set('Accept-Language', 'ar');
    expect(nowhere.status).toBe(404);
    expect(nowhere.body.type).toBe('urn:arvut:problem:not-found');
  });

  it('redacts the secret of every page link in the request log', async () => {
    const token = circle.ackTokens[0];
    await t.http().get(`/ack/${token}`);
    await t.http().get(`/link/${token}`);
    await t.http().get(`/ask/${token}`);
    const lines = logLines.filter((l) => l.includes('request completed'));
    expect(lines.some((l) => l.includes('/ack/[redacted]'))).toBe(true);
    expect(lines.some((l) => l.includes('/ask/[redacted]'))).toBe(true);
    expect(logLines.filter((l) => l.includes(token))).toEqual([]);
  });

  it('opens a circle\'s page to a member through a short-lived read link, while they remain a member', async () => {
    const organizer = await registerAndLogin(t);
    const circleId = await createCircle(t, organizer, { name: 'Members only' });
    const member = await addMember(t, circleId, organizer, 'member');
    const outsider = await registerAndLogin(t);
    await postAdjustment(t, organizer, circleId, { direction: 'in', amount: 5000 }).expect(201);
    const issued = await t.http().post(`/v1/circles/${circleId}/page-link`).set(authHeader(member)).expect(201);
    expect(issued.headers['cache-control']).toBe('no-store');
    expect(Date.parse(issued.body.expiresAt) - Date.now()).toBeLessThanOrEqual(60 * 60_000);
    const page = await t.http().get(issued.body.path).expect(200);
    expect(page.text).toContain('<h1>Members only</h1>');
    const read = new URL(issued.body.path, 'http://x').searchParams.get('read')!;
    const receipts = await t.http().get(`/circle/${circleId}/receipts.json?read=${encodeURIComponent(read)}&limit=10`).expect(200);
    expect(receipts.body.items).toHaveLength(1);
    await t.http().get(`/circle/${circleId}/checkpoints.json?read=${encodeURIComponent(read)}`).expect(200);
    // Without the link, or with it on another circle, the page is not there.
    expectHtml(await t.http().get(`/circle/${circleId}`), 404, 'This link does not work');
    expectHtml(await t.http().get(`/circle/${circle.circleId}?read=${encodeURIComponent(read)}`), 404, 'This link does not work');
    expectHtml(await t.http().get(`/circle/${circleId}/receipts.json`), 404, 'This link does not work');
    // Forged, or expired.
    expectHtml(await t.http().get(`/circle/${circleId}?read=${encodeURIComponent(read.slice(0, -2) + 'AA')}`), 404, 'This link does not work');
    const expired = signReadLink(readLinkKey(t.config.jwt.secret), { circleId, userId: member.userId, expiresAt: Date.now() - 1000 });
    expectHtml(await t.http().get(`/circle/${circleId}?read=${encodeURIComponent(expired)}`), 404, 'This link does not work');
    // Only members get one; one who leaves can no longer use theirs.
    await t.http().post(`/v1/circles/${circleId}/page-link`).set(authHeader(outsider)).expect(404);
    await t.http().delete(`/v1/circles/${circleId}/members/${member.userId}`).set(authHeader(organizer)).expect(204);
    expectHtml(await t.http().get(issued.body.path), 404, 'This link does not work');
  });

  it('rate-limits the intake form per address, with a page that says to wait and a Retry-After', async () => {
    const link = await createIntakeLink(t, circle.circleId, circle.organizer);
    let res: Response | undefined;
    for (let i = 0; i < 30 && res?.status !== 429; i++) res = await t.http().get(`/ask/${link.token}`).set('Accept-Language', 'ar');
    expectHtml(res!, 429, 'محاولات كثيرة');
    expect(Number(res!.headers['retry-after'])).toBeGreaterThan(0);
  });
});
