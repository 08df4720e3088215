import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { createHash } from 'node:crypto';
import { PasswordHasher } from '../../src/auth/password-hasher.js';
import { bearer, registerAndLogin, TEST_PASSWORD, uniqueEmail } from '../support/auth.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { expectProblem } from '../support/problems.js';

function claimsOf(jwt: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(jwt.split('.')[1], 'base64url').toString('utf8')) as Record<string, unknown>;
}

describe('auth: register, login, me, refresh, logout', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  describe('register', () => {
    it('creates a user with a lower-cased email and stores only an argon2id hash', async () => {
      const email = uniqueEmail('Ann').replace('example.org', 'Example.ORG');
      const res = await t.http().post('/v1/auth/register').send({ email: `  ${email} `, password: TEST_PASSWORD }).expect(201);
      expect(Object.keys(res.body).sort()).toEqual(['createdAt', 'email', 'id']);
      expect(res.body.email).toBe(email.toLowerCase());
      expect(res.body.id).toMatch(/^[0-9a-f-]{36}$/);
      expect(Number.isNaN(Date.parse(res.body.createdAt))).toBe(false);
      const { rows } = await t.sql.query('SELECT email, password_hash FROM users WHERE id = $1', [res.body.id]);
      expect(rows[0].email).toBe(email.toLowerCase());
      expect(rows[0].password_hash).toMatch(/^\$argon2id\$/);
      expect(rows[0].password_hash).not.toContain(TEST_PASSWORD);
    });

    it('refuses the same email in another case with 409 email-taken, without echoing the email', async () => {
      const email = uniqueEmail('dup');
      await t.http().post('/v1/auth/register').send({ email, password: TEST_PASSWORD }).expect(201);
      const res = await t.http().post('/v1/auth/register').send({ email: email.toUpperCase(), password: 'another-fine-password' });
      expectProblem(res, 409, 'email-taken');
      expect(JSON.stringify(res.body).toLowerCase()).not.toContain(email);
      const { rows } = await t.sql.query('SELECT count(*)::int AS n FROM users WHERE email = $1', [email]);
      expect(rows[0].n).toBe(1);
    });

    it.each([
      ['shorter than 10 characters', 'Tr0ub4d&r', /at least 10 characters/],
      ['on the common-password list', 'password123', /too common/],
      ['on the list in another case', 'QwertyUIOP', /too common/],
    ])('rejects a password %s with 400 validation-failed naming the field', async (_label, password, message) => {
      const email = uniqueEmail('weak');
      const res = await t.http().post('/v1/auth/register').send({ email, password });
      expectProblem(res, 400, 'validation-failed');
      expect(res.body.errors).toEqual(expect.arrayContaining([{ field: 'password', message: expect.stringMatching(message) }]));
      const { rows } = await t.sql.query('SELECT 1 FROM users WHERE email = $1', [email]);
      expect(rows).toHaveLength(0);
    });

    it('rejects an unknown field with 400', async () => {
      const res = await t.http().post('/v1/auth/register').send({ email: uniqueEmail(), password: TEST_PASSWORD, isAdmin: true });
      expectProblem(res, 400, 'validation-failed');
      expect(res.body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ field: 'isAdmin' })]));
    });

    it.each([
      ['email as a number', { email: 12345, password: TEST_PASSWORD }, 'email'],
      ['password as a number', { email: 'num@example.org', password: 12345678901 }, 'password'],
      ['an email that is not an address', { email: 'not-an-email', password: TEST_PASSWORD }, 'email'],
      ['a missing password', { email: 'nopass@example.org' }, 'password'],
    ])('rejects %s with 400', async (_label, body, field) => {
      const res = await t.http().post('/v1/auth/register').send(body);
      expectProblem(res, 400, 'validation-failed');
      expect(res.body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ field })]));
    });
  });

  describe('login', () => {
    it('returns a pinned HS256 access token with iss, aud, sub, sid and jti, and a refresh token', async () => {
      const email = uniqueEmail('login');
      const reg = await t.http().post('/v1/auth/register').send({ email, password: TEST_PASSWORD }).expect(201);
      const res = await t.http().post('/v1/auth/login').send({ email: email.toUpperCase(), password: TEST_PASSWORD }).expect(200);
      expect(Object.keys(res.body).sort()).toEqual(['accessToken', 'expiresIn', 'refreshToken']);
      expect(res.body.expiresIn).toBe(t.config.jwt.accessTtlSeconds);
      const header = JSON.parse(Buffer.from(res.body.accessToken.split('.')[0], 'base64url').toString('utf8'));
      expect(header.alg).toBe('HS256');
      const claims = claimsOf(res.body.accessToken);
      expect(claims).toMatchObject({ sub: reg.body.id, iss: t.config.jwt.issuer, aud: t.config.jwt.audience });
      expect(claims.sid).toEqual(expect.stringMatching(/^[0-9a-f-]{36}$/));
      expect(claims.jti).toEqual(expect.any(String));
      expect((claims.exp as number) - (claims.iat as number)).toBe(t.config.jwt.accessTtlSeconds);
      expect(JSON.stringify(claims)).not.toContain(email);
    });

    it('gives the identical answer for an unknown email and a wrong password', async () => {
      const { email } = await registerAndLogin(t);
      const wrongPassword = await t.http().post('/v1/auth/login').send({ email, password: 'not-the-password-1' });
      const unknownEmail = await t.http().post('/v1/auth/login').send({ email: uniqueEmail('nobody'), password: 'not-the-password-1' });
      expectProblem(wrongPassword, 401, 'invalid-credentials');
      const strip = (body: Record<string, unknown>) => ({ ...body, requestId: undefined });
      expect(strip(unknownEmail.body)).toEqual(strip(wrongPassword.body));
      expect(unknownEmail.status).toBe(wrongPassword.status);
      expect(unknownEmail.headers['content-type']).toBe(wrongPassword.headers['content-type']);
    });

    it('spends an argon2 verification on an unknown email too, so timing does not tell which emails exist', async () => {
      const hasher = t.app.get(PasswordHasher, { strict: false });
      const dummy = jest.spyOn(hasher, 'verifyAgainstDummy');
      try {
        await t.http().post('/v1/auth/login').send({ email: uniqueEmail('nobody'), password: 'not-the-password-1' }).expect(401);
        expect(dummy).toHaveBeenCalledTimes(1);
      } finally {
        dummy.mockRestore();
      }
    });

    it('rejects an unknown field and a wrongly typed password with 400', async () => {
      const extra = await t.http().post('/v1/auth/login').send({ email: uniqueEmail(), password: TEST_PASSWORD, remember: true });
      expectProblem(extra, 400, 'validation-failed');
      const typed = await t.http().post('/v1/auth/login').send({ email: uniqueEmail(), password: ['x'] });
      expectProblem(typed, 400, 'validation-failed');
      expect(typed.body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ field: 'password' })]));
    });
  });

  describe('me', () => {
    it('returns the caller', async () => {
      const u = await registerAndLogin(t);
      const res = await t.http().get('/v1/me').set('Authorization', bearer(u.accessToken)).expect(200);
      expect(res.body).toEqual({ id: u.userId, email: u.email, createdAt: expect.any(String) });
    });

    it('requires a token', async () => {
      const res = await t.http().get('/v1/me');
      expectProblem(res, 401, 'unauthenticated');
      expect(res.headers['www-authenticate']).toBe('Bearer');
    });
  });

  describe('refresh', () => {
    it('rotates: a new pair each time, and every new token works', async () => {
      const u = await registerAndLogin(t);
      const first = await t.http().post('/v1/auth/refresh').send({ refreshToken: u.refreshToken }).expect(200);
      expect(first.body.refreshToken).not.toBe(u.refreshToken);
      expect(claimsOf(first.body.accessToken).sid).toBe(claimsOf(u.accessToken).sid);
      await t.http().get('/v1/me').set('Authorization', bearer(first.body.accessToken)).expect(200);
      const second = await t.http().post('/v1/auth/refresh').send({ refreshToken: first.body.refreshToken }).expect(200);
      await t.http().get('/v1/me').set('Authorization', bearer(second.body.accessToken)).expect(200);
    });

    it('stores refresh tokens only as SHA-256 hashes', async () => {
      const u = await registerAndLogin(t);
      const sid = claimsOf(u.accessToken).sid as string;
      const { rows } = await t.sql.query('SELECT token_hash FROM refresh_tokens WHERE session_id = $1', [sid]);
      expect(rows).toEqual([{ token_hash: createHash('sha256').update(u.refreshToken).digest('hex') }]);
      const plain = await t.sql.query('SELECT count(*)::int AS n FROM refresh_tokens WHERE token_hash = $1', [u.refreshToken]);
      expect(plain.rows[0].n).toBe(0);
    });

    it('revokes the whole family when a rotated token is presented again', async () => {
      const victim = await registerAndLogin(t);
      const otherSession = await t.http().post('/v1/auth/login').send({ email: victim.email, password: TEST_PASSWORD }).expect(200);
      const rotated = await t.http().post('/v1/auth/refresh').send({ refreshToken: victim.refreshToken }).expect(200);

      const replay = await t.http().post('/v1/auth/refresh').send({ refreshToken: victim.refreshToken });
      expectProblem(replay, 401, 'unauthenticated');

      // Everything of that family is dead: the newest refresh token and both access tokens.
      expectProblem(await t.http().post('/v1/auth/refresh').send({ refreshToken: rotated.body.refreshToken }), 401, 'unauthenticated');
      expectProblem(await t.http().get('/v1/me').set('Authorization', bearer(rotated.body.accessToken)), 401, 'unauthenticated');
      expectProblem(await t.http().get('/v1/me').set('Authorization', bearer(victim.accessToken)), 401, 'unauthenticated');
      const { rows } = await t.sql.query('SELECT revoke_reason FROM sessions WHERE id = $1', [claimsOf(victim.accessToken).sid]);
      expect(rows[0].revoke_reason).toBe('reuse-detected');

      // Another login of the same user is another family and keeps working.
      await t.http().get('/v1/me').set('Authorization', bearer(otherSession.body.accessToken)).expect(200);
      await t.http().post('/v1/auth/refresh').send({ refreshToken: otherSession.body.refreshToken }).expect(200);
    });

    it('lets only one of two simultaneous exchanges of one token win, and treats the other as reuse', async () => {
      const u = await registerAndLogin(t);
      const [a, b] = await Promise.all([0, 1].map(() => t.http().post('/v1/auth/refresh').send({ refreshToken: u.refreshToken })));
      expect([a.status, b.status].sort()).toEqual([200, 401]);
      const winner = a.status === 200 ? a : b;
      expectProblem(await t.http().post('/v1/auth/refresh').send({ refreshToken: winner.body.refreshToken }), 401, 'unauthenticated');
    });

    it('refuses an expired refresh token', async () => {
      const u = await registerAndLogin(t);
      await t.sql.query(`UPDATE refresh_tokens SET expires_at = now() - interval '1 second' WHERE token_hash = $1`, [createHash('sha256').update(u.refreshToken).digest('hex')]);
      expectProblem(await t.http().post('/v1/auth/refresh').send({ refreshToken: u.refreshToken }), 401, 'unauthenticated');
    });

    it('refuses an unknown token with 401 and a malformed or extra body with 400', async () => {
      expectProblem(await t.http().post('/v1/auth/refresh').send({ refreshToken: 'A'.repeat(43) }), 401, 'unauthenticated');
      expectProblem(await t.http().post('/v1/auth/refresh').send({ refreshToken: 42 }), 400, 'validation-failed');
      const u = await registerAndLogin(t);
      expectProblem(await t.http().post('/v1/auth/refresh').send({ refreshToken: u.refreshToken, extra: 1 }), 400, 'validation-failed');
    });
  });

  describe('logout', () => {
    it('makes the current access token and the refresh token unusable at once, and only for that session', async () => {
      const u = await registerAndLogin(t);
      const other = await t.http().post('/v1/auth/login').send({ email: u.email, password: TEST_PASSWORD }).expect(200);
      await t.http().get('/v1/me').set('Authorization', bearer(u.accessToken)).expect(200);

      await t.http().post('/v1/auth/logout').set('Authorization', bearer(u.accessToken)).expect(204);

      expectProblem(await t.http().get('/v1/me').set('Authorization', bearer(u.accessToken)), 401, 'unauthenticated');
      expectProblem(await t.http().post('/v1/auth/logout').set('Authorization', bearer(u.accessToken)), 401, 'unauthenticated');
      expectProblem(await t.http().post('/v1/auth/refresh').send({ refreshToken: u.refreshToken }), 401, 'unauthenticated');
      await t.http().get('/v1/me').set('Authorization', bearer(other.body.accessToken)).expect(200);
    });

    it('requires a token', async () => {
      expectProblem(await t.http().post('/v1/auth/logout'), 401, 'unauthenticated');
    });
  });
});
