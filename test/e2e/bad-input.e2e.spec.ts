import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Response } from 'supertest';
import { TEST_PASSWORD, uniqueEmail } from '../support/auth.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

const ALLOWED_ORIGIN = 'https://app.example.org';
const REGISTER = '/v1/auth/register';

/** What every error response must look like (RFC 9457, nothing internal leaking). */
function expectProblem(res: Response, status: number, code: string): void {
  expect([res.status, res.headers['content-type']]).toEqual([status, expect.stringMatching(/^application\/problem\+json/)]);
  expect(res.body).toMatchObject({ type: `urn:arvut:problem:${code}`, status, title: expect.any(String), detail: expect.any(String) });
  expect(res.body.title.length).toBeGreaterThan(0);
  expect(res.body.detail.length).toBeGreaterThan(0);
  expect(res.body).not.toHaveProperty('stack');
  // No stack frames, driver errors or SQL in what the client sees.
  expect(res.text).not.toMatch(/\bat \S+ \(|node_modules|\.ts:\d+|QueryFailedError|\b(SELECT|INSERT INTO|UPDATE \w+ SET|DELETE FROM)\b|duplicate key|violates|relation "/);
}

describe('bad input gets a problem response', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ CORS_ORIGINS: `${ALLOWED_ORIGIN},https://other.example.net` });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('malformed JSON → 400 malformed-json, without echoing the body', async () => {
    const res = await t.http().post(REGISTER).set('Content-Type', 'application/json').send('{"email": "leaky-marker@example.org", "password": ');
    expectProblem(res, 400, 'malformed-json');
    expect(res.text).not.toContain('leaky-marker');
  });

  it('a body that is not JSON → 415 unsupported-media-type', async () => {
    const form = await t.http().post(REGISTER).set('Content-Type', 'application/x-www-form-urlencoded').send('email=a%40example.org&password=x');
    expectProblem(form, 415, 'unsupported-media-type');
    const text = await t.http().post(REGISTER).set('Content-Type', 'text/plain').send('hello');
    expectProblem(text, 415, 'unsupported-media-type');
  });

  it('a body over the size limit (BODY_LIMIT, 100kb by default) → 413 payload-too-large', async () => {
    const res = await t
      .http()
      .post(REGISTER)
      .set('Content-Type', 'application/json')
      .send(JSON.stringify({ email: uniqueEmail(), password: 'p'.repeat(120 * 1024) }));
    expectProblem(res, 413, 'payload-too-large');
    expect(res.text).not.toContain('pppppppp');
  });

  it('an unknown route → 404 not-found, for any method', async () => {
    expectProblem(await t.http().get('/v1/no-such-route'), 404, 'not-found');
    expectProblem(await t.http().post('/v1/no-such-route').send({}), 404, 'not-found');
    expectProblem(await t.http().delete('/nothing/here'), 404, 'not-found');
  });

  it('text PostgreSQL cannot store (NUL, unpaired UTF-16 surrogates) → 400 validation-failed, not a 500', async () => {
    for (const email of ['\\ud800@example.org', 'a\\udc00b@example.org', 'nul\\u0000@example.org']) {
      for (const path of [REGISTER, '/v1/auth/login']) {
        const res = await t.http().post(path).set('Content-Type', 'application/json').send(`{"email":"${email}","password":"${TEST_PASSWORD}"}`);
        expectProblem(res, 400, 'validation-failed');
      }
    }
    // A surrogate pair (an emoji) is ordinary text.
    const pair = await t.http().post(REGISTER).set('Content-Type', 'application/json').send(`{"email":"${uniqueEmail()}","password":"\\ud83d\\ude00${TEST_PASSWORD}"}`);
    expect(pair.status).toBe(201);
  });

  it('a body nested deeper than any request of this API → 400, before anything recurses over it', async () => {
    for (const body of [`${'['.repeat(40)}${']'.repeat(40)}`, `${'{"a":'.repeat(5000)}1${'}'.repeat(5000)}`]) {
      expectProblem(await t.http().post(REGISTER).set('Content-Type', 'application/json').send(body), 400, 'validation-failed');
    }
    // Brackets inside strings are text, not nesting.
    const res = await t.http().post(REGISTER).set('Content-Type', 'application/json').send(JSON.stringify({ email: uniqueEmail(), password: `${'[{'.repeat(30)}${TEST_PASSWORD}` }));
    expect(res.status).toBe(201);
  });

  it('a path the router cannot decode, or with an over-long id → 404 not-found problem', async () => {
    expectProblem(await t.http().get('/v1/circles/%ED%A0%80'), 404, 'not-found');
    expectProblem(await t.http().get(`/v1/circles/${'x'.repeat(2000)}`), 404, 'not-found');
  });

  it('an unknown field → 400 validation-failed naming it in errors[]', async () => {
    const res = await t.http().post(REGISTER).send({ email: uniqueEmail(), password: TEST_PASSWORD, isAdmin: true });
    expectProblem(res, 400, 'validation-failed');
    expect(res.body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ field: 'isAdmin', message: expect.any(String) })]));
  });

  it('a wrongly typed or missing field → 400 validation-failed with field errors', async () => {
    const typed = await t.http().post(REGISTER).send({ email: 12345, password: TEST_PASSWORD });
    expectProblem(typed, 400, 'validation-failed');
    expect(typed.body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ field: 'email' })]));

    const missing = await t.http().post(REGISTER).send({ email: uniqueEmail() });
    expectProblem(missing, 400, 'validation-failed');
    expect(missing.body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ field: 'password' })]));

    for (const body of ['[]', '"text"', '42', 'null']) {
      const res = await t.http().post(REGISTER).set('Content-Type', 'application/json').send(body);
      expect([body, res.status]).toEqual([body, 400]);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    }
  });

  it('a unique-key clash in the database → 409 problem with no SQL in it', async () => {
    const email = uniqueEmail();
    await t.http().post(REGISTER).send({ email, password: TEST_PASSWORD }).expect(201);
    const again = await t.http().post(REGISTER).send({ email: email.toUpperCase(), password: TEST_PASSWORD });
    expectProblem(again, 409, 'email-taken');
    expect(again.text).not.toContain(email);
  });

  it('sets helmet security headers, also on errors, and hides the framework', async () => {
    for (const res of [await t.http().get('/health/live'), await t.http().get('/v1/no-such-route')]) {
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['x-frame-options']).toBe('SAMEORIGIN');
      expect(res.headers['content-security-policy']).toContain("default-src 'self'");
      expect(res.headers['strict-transport-security']).toBeDefined();
      expect(res.headers['x-powered-by']).toBeUndefined();
    }
  });

  it('CORS: an origin from CORS_ORIGINS is allowed, any other is not', async () => {
    const allowed = await t.http().get('/health/live').set('Origin', ALLOWED_ORIGIN);
    expect(allowed.headers['access-control-allow-origin']).toBe(ALLOWED_ORIGIN);
    const preflight = await t.http().options(REGISTER).set('Origin', ALLOWED_ORIGIN).set('Access-Control-Request-Method', 'POST').set('Access-Control-Request-Headers', 'content-type,authorization,idempotency-key');
    expect(preflight.status).toBeLessThan(300);
    expect(preflight.headers['access-control-allow-origin']).toBe(ALLOWED_ORIGIN);
    expect(preflight.headers['access-control-allow-headers']?.toLowerCase()).toContain('idempotency-key');

    const other = await t.http().get('/health/live').set('Origin', 'https://evil.example.com');
    expect(other.headers['access-control-allow-origin']).toBeUndefined();
    const otherPreflight = await t.http().options(REGISTER).set('Origin', 'https://evil.example.com').set('Access-Control-Request-Method', 'POST');
    expect(otherPreflight.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('serves the docs UI at /docs and the document at /docs/openapi.json', async () => {
    const ui = await t.http().get('/docs').redirects(2);
    expect(ui.status).toBe(200);
    expect(ui.headers['content-type']).toMatch(/text\/html/);
    expect(ui.text).toMatch(/swagger-ui/i);
    const doc = await t.http().get('/docs/openapi.json').expect(200);
    expect(doc.body).toMatchObject({ openapi: expect.stringMatching(/^3\./), info: { title: 'arvut' } });
    expect(Object.keys(doc.body.paths)).toEqual(expect.arrayContaining(['/health/ready', REGISTER]));
  });
});
