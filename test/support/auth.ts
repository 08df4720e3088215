import { randomBytes } from 'node:crypto';
import type { TestApp } from './test-app.js';

/** A password that passes the policy; tests that are not about passwords use it. */
export const TEST_PASSWORD = 'plum-orbit-lantern-42';

/** A unique address per call, so tests in one database never collide on the unique email. */
export function uniqueEmail(prefix = 'user'): string {
  return `${prefix}-${randomBytes(6).toString('hex')}@example.org`;
}

/**
 * Registers a user (a fresh unique email unless one is given) and logs them in.
 * Throws with the response body when either step does not succeed, so a broken
 * set-up fails loudly in the test that used it.
 */
export async function registerAndLogin(t: TestApp, email?: string): Promise<{ userId: string; email: string; accessToken: string; refreshToken: string }> {
  const address = email ?? uniqueEmail();
  const registered = await t.http().post('/v1/auth/register').send({ email: address, password: TEST_PASSWORD });
  if (registered.status !== 201) throw new Error(`register failed: ${registered.status} ${JSON.stringify(registered.body)}`);
  const loggedIn = await t.http().post('/v1/auth/login').send({ email: address, password: TEST_PASSWORD });
  if (loggedIn.status !== 200) throw new Error(`login failed: ${loggedIn.status} ${JSON.stringify(loggedIn.body)}`);
  return {
    userId: registered.body.id as string,
    email: registered.body.email as string,
    accessToken: loggedIn.body.accessToken as string,
    refreshToken: loggedIn.body.refreshToken as string,
  };
}

/** The Authorization header value for a token: `.set('Authorization', bearer(token))`. */
export function bearer(token: string): string {
  return `Bearer ${token}`;
}
