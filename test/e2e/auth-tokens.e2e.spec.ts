import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createHmac, randomUUID } from 'node:crypto';
import { buildOpenApiDocument } from '../../src/openapi/openapi-document.js';
import { bearer, registerAndLogin } from '../support/auth.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

const b64 = (value: object): string => Buffer.from(JSON.stringify(value)).toString('base64url');

/** Builds a JWT by hand, so each test can break exactly one property of a valid token. */
function forge(claims: Record<string, unknown>, options: { secret: string; alg?: string; header?: Record<string, unknown> }): string {
  const alg = options.alg ?? 'HS256';
  const head = b64({ alg, typ: 'JWT', ...options.header });
  const body = b64(claims);
  if (alg === 'none') return `${head}.${body}.`;
  const hash = { HS256: 'sha256', HS384: 'sha384', HS512: 'sha512' }[alg];
  if (!hash) throw new Error(`cannot forge ${alg}`);
  const signature = createHmac(hash, options.secret).update(`${head}.${body}`).digest('base64url');
  return `${head}.${body}.${signature}`;
}

describe('auth: every forged, altered or stale access token is refused with 401', () => {
  let t: TestApp;
  let valid: Record<string, unknown>;
  let secret: string;

  beforeAll(async () => {
    t = await createTestApp();
    secret = t.config.jwt.secret;
    const u = await registerAndLogin(t);
    const sid = JSON.parse(Buffer.from(u.accessToken.split('.')[1], 'base64url').toString('utf8')).sid as string;
    const now = Math.floor(Date.now() / 1000);
    valid = { sub: u.userId, sid, jti: randomUUID(), iss: t.config.jwt.issuer, aud: t.config.jwt.audience, iat: now, exp: now + 600 };
  });
  afterAll(async () => {
    await t.close();
  });

  const me = (authorization?: string) => {
    const req = t.http().get('/v1/me');
    return authorization === undefined ? req : req.set('Authorization', authorization);
  };

  async function expectUnauthenticated(authorization?: string): Promise<void> {
    const res = await me(authorization);
    expect(res.status).toBe(401);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body).toMatchObject({ type: 'urn:arvut:problem:unauthenticated', status: 401, title: 'Authentication is required' });
    expect(res.body).not.toHaveProperty('message');
    expect(res.body).not.toHaveProperty('statusCode');
    // Sent by the global guard only (RFC 6750), so a pass through the guard cannot hide behind a later check.
    expect(res.headers['www-authenticate']).toMatch(/^Bearer/);
  }

  // The control: a hand-made token with every property right is accepted, so each
  // refusal below is caused by the one thing that test changes.
  it('accepts a correctly forged token (control)', async () => {
    await me(bearer(forge(valid, { secret }))).expect(200);
  });

  it('refuses alg "none"', async () => {
    await expectUnauthenticated(bearer(forge(valid, { secret, alg: 'none' })));
  });

  it('refuses a token signed with another secret', async () => {
    await expectUnauthenticated(bearer(forge(valid, { secret: `${secret}-but-not-quite` })));
  });

  it('refuses a token whose payload was changed after signing', async () => {
    const [head, , signature] = forge(valid, { secret }).split('.');
    const other = await registerAndLogin(t);
    await expectUnauthenticated(bearer(`${head}.${b64({ ...valid, sub: other.userId })}.${signature}`));
  });

  it('refuses another HMAC algorithm even with the right secret (algorithm pinned)', async () => {
    await expectUnauthenticated(bearer(forge(valid, { secret, alg: 'HS512' })));
  });

  it('refuses a wrong audience', async () => {
    await expectUnauthenticated(bearer(forge({ ...valid, aud: 'some-other-api' }, { secret })));
  });

  it('refuses a wrong issuer', async () => {
    await expectUnauthenticated(bearer(forge({ ...valid, iss: 'https://evil.example' }, { secret })));
  });

  it('refuses an expired token', async () => {
    const past = Math.floor(Date.now() / 1000) - 3600;
    await expectUnauthenticated(bearer(forge({ ...valid, iat: past - 900, exp: past }, { secret })));
  });

  it('refuses a token without a session claim or with an unknown session', async () => {
    const { sid: _sid, ...noSession } = valid;
    await expectUnauthenticated(bearer(forge(noSession, { secret })));
    await expectUnauthenticated(bearer(forge({ ...valid, sid: randomUUID() }, { secret })));
  });

  it.each([
    ['garbage', 'Bearer not-a-jwt'],
    ['three dots of nothing', 'Bearer ..'],
    ['bad base64 header', 'Bearer %%%.e30.abc'],
    ['a Basic scheme', 'Basic dXNlcjpwYXNz'],
  ])('refuses a malformed token: %s', async (_label, header) => {
    await expectUnauthenticated(header);
  });

  it('refuses a missing token, saying a token is required', async () => {
    await expectUnauthenticated(undefined);
    const res = await me();
    expect(res.body.detail).toBe('An access token is required.');
  });

  it('guards every operation not marked @Public() (global guard), listed from the OpenAPI document', async () => {
    const doc = buildOpenApiDocument(t.app);
    const open: string[] = [];
    const checked: string[] = [];
    for (const [path, item] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(item as Record<string, { security?: unknown[] }>)) {
        if (!['get', 'post', 'put', 'patch', 'delete'].includes(method)) continue;
        if (Array.isArray(op.security) && op.security.length === 0) continue; // @Public()
        const url = path.replace(/\{[^}]+\}/g, randomUUID());
        const res = await t.http()[method as 'get'](url);
        checked.push(`${method.toUpperCase()} ${path}`);
        if (res.status !== 401 || res.body.type !== 'urn:arvut:problem:unauthenticated' || !res.headers['www-authenticate']) open.push(`${method.toUpperCase()} ${path} -> ${res.status}`);
      }
    }
    expect(checked).toEqual(expect.arrayContaining(['GET /v1/me', 'POST /v1/auth/logout']));
    expect(open).toEqual([]);
    await t.http().get('/health/live').expect(200);
  });
});
