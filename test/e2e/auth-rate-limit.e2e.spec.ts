import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { PgThrottlerStorage } from '../../src/common/rate-limit/pg-throttler-storage.js';
import { registerAndLogin, TEST_PASSWORD, uniqueEmail } from '../support/auth.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

type Res = { status: number; headers: Record<string, string>; body: Record<string, unknown> };

function expectRateLimited(res: Res): void {
  expect(res.status).toBe(429);
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  expect(res.body).toMatchObject({ type: 'urn:arvut:problem:rate-limited', status: 429 });
  const retryAfter = Number(res.headers['retry-after']);
  expect(Number.isInteger(retryAfter)).toBe(true);
  expect(retryAfter).toBeGreaterThanOrEqual(1);
  expect(retryAfter).toBeLessThanOrEqual(60);
}

describe('auth rate limits: per email', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ LOGIN_LIMIT_PER_EMAIL: '3' });
  });
  afterAll(async () => {
    await t.close();
  });

  it('refuses the 4th login for one email within a minute with 429 and Retry-After, even with the right password', async () => {
    const { email } = await registerAndLogin(t); // 1st
    const wrong = await t.http().post('/v1/auth/login').send({ email: email.toUpperCase(), password: 'wrong-password-123' }); // 2nd, other case: same account
    expect(wrong.status).toBe(401);
    await t.http().post('/v1/auth/login').send({ email, password: TEST_PASSWORD }).expect(200); // 3rd
    const blocked = await t.http().post('/v1/auth/login').send({ email, password: TEST_PASSWORD });
    expectRateLimited(blocked as unknown as Res);
    expect(JSON.stringify(blocked.body)).not.toContain(email);
  });

  it('counts each email on its own, and unknown emails too (no hint which exist)', async () => {
    const other = await registerAndLogin(t);
    await t.http().post('/v1/auth/login').send({ email: other.email, password: TEST_PASSWORD }).expect(200);
    const ghost = uniqueEmail('ghost');
    for (let i = 0; i < 3; i++) expect((await t.http().post('/v1/auth/login').send({ email: ghost, password: 'wrong-password-123' })).status).toBe(401);
    expectRateLimited((await t.http().post('/v1/auth/login').send({ email: ghost, password: 'wrong-password-123' })) as unknown as Res);
  });

  it('stores only hashed keys: no email or address in the counter table', async () => {
    const { rows } = await t.sql.query<{ key: string }>('SELECT key FROM rate_limit_counters');
    expect(rows.length).toBeGreaterThan(0);
    for (const { key } of rows) expect(key).toMatch(/^[0-9a-f]{64}$/);
  });
});

describe('auth rate limits: per client address', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ LOGIN_LIMIT_PER_IP: '4' });
  });
  afterAll(async () => {
    await t.close();
  });

  it('refuses the 5th login from one address, whatever the emails', async () => {
    for (let i = 0; i < 4; i++) {
      expect((await t.http().post('/v1/auth/login').send({ email: uniqueEmail('spray'), password: 'wrong-password-123' })).status).toBe(401);
    }
    expectRateLimited((await t.http().post('/v1/auth/login').send({ email: uniqueEmail('spray'), password: 'wrong-password-123' })) as unknown as Res);
  });

  it('limits sign-ups per address too, counted apart from logins', async () => {
    for (let i = 0; i < 4; i++) await t.http().post('/v1/auth/register').send({ email: uniqueEmail('signup'), password: TEST_PASSWORD }).expect(201);
    const email = uniqueEmail('signup');
    expectRateLimited((await t.http().post('/v1/auth/register').send({ email, password: TEST_PASSWORD })) as unknown as Res);
    const { rows } = await t.sql.query('SELECT 1 FROM users WHERE email = $1', [email]);
    expect(rows).toHaveLength(0);
  });
});

describe('auth rate limits behind a reverse proxy (TRUST_PROXY)', () => {
  const login = (t: TestApp, forwardedFor: string) => t.http().post('/v1/auth/login').set('X-Forwarded-For', forwardedFor).send({ email: uniqueEmail('proxied'), password: 'wrong-password-123' });

  it('without TRUST_PROXY, X-Forwarded-For is not believed: every client behind the proxy shares one address', async () => {
    const t = await createTestApp({ LOGIN_LIMIT_PER_IP: '2' });
    try {
      for (let i = 0; i < 2; i++) expect((await login(t, `198.51.100.${i + 1}`)).status).toBe(401);
      expectRateLimited((await login(t, '198.51.100.77')) as unknown as Res);
    } finally {
      await t.close();
    }
  });

  for (const trusted of ['1', '127.0.0.1/8,::1']) {
    it(`with TRUST_PROXY=${trusted}, each forwarded client is counted on its own`, async () => {
      const t = await createTestApp({ LOGIN_LIMIT_PER_IP: '2', TRUST_PROXY: trusted });
      try {
        for (let i = 0; i < 2; i++) expect((await login(t, '203.0.113.5')).status).toBe(401);
        expectRateLimited((await login(t, '203.0.113.5')) as unknown as Res);
        // Another client behind the same proxy still gets in.
        expect((await login(t, '203.0.113.6')).status).toBe(401);
        // A client cannot choose its address by prepending one: the proxy appends the real one last.
        expectRateLimited((await login(t, '192.0.2.99, 203.0.113.5')) as unknown as Res);
      } finally {
        await t.close();
      }
    });
  }
});

describe('PgThrottlerStorage', () => {
  let t: TestApp;
  let storage: PgThrottlerStorage;
  beforeAll(async () => {
    t = await createTestApp();
    storage = t.app.get(PgThrottlerStorage, { strict: false });
  });
  afterAll(async () => {
    await t.close();
  });

  it('blocks the request over the limit, and starts counting again when the block ends', async () => {
    const key = 'a'.repeat(64);
    expect(await storage.increment(key, 60_000, 2, 1_000, 'x')).toMatchObject({ totalHits: 1, isBlocked: false, timeToBlockExpire: 0 });
    expect(await storage.increment(key, 60_000, 2, 1_000, 'x')).toMatchObject({ totalHits: 2, isBlocked: false });
    const over = await storage.increment(key, 60_000, 2, 1_000, 'x');
    expect(over).toMatchObject({ totalHits: 3, isBlocked: true, timeToBlockExpire: 1 });
    // While blocked, further attempts do not extend the block.
    expect(await storage.increment(key, 60_000, 2, 1_000, 'x')).toMatchObject({ totalHits: 3, isBlocked: true });
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    expect(await storage.increment(key, 60_000, 2, 1_000, 'x')).toMatchObject({ totalHits: 1, isBlocked: false });
  });

  it('starts a new window when the old one has passed', async () => {
    const key = 'b'.repeat(64);
    await storage.increment(key, 500, 5, 500, 'x');
    expect(await storage.increment(key, 500, 5, 500, 'x')).toMatchObject({ totalHits: 2 });
    await new Promise((resolve) => setTimeout(resolve, 600));
    expect(await storage.increment(key, 500, 5, 500, 'x')).toMatchObject({ totalHits: 1, isBlocked: false });
  });

  it('counts concurrent requests exactly once each (one atomic upsert)', async () => {
    const key = 'c'.repeat(64);
    const results = await Promise.all(Array.from({ length: 25 }, () => storage.increment(key, 60_000, 1000, 60_000, 'x')));
    expect(results.map((r) => r.totalHits).sort((a, b) => a - b)).toEqual(Array.from({ length: 25 }, (_, i) => i + 1));
  });

  it('purges counters whose window and block are over', async () => {
    const key = 'd'.repeat(64);
    await storage.increment(key, 1, 5, 1, 'x');
    await new Promise((resolve) => setTimeout(resolve, 20));
    await storage.purgeExpired();
    const { rows } = await t.sql.query('SELECT 1 FROM rate_limit_counters WHERE key = $1', [key]);
    expect(rows).toHaveLength(0);
  });
});
