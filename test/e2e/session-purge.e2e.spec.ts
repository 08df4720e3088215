// Retention of login data (docs/privacy.md): the hourly session-purge job deletes refresh
// tokens a week past their expiry and the sessions they leave empty, and nothing younger.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { SESSION_PURGE_GRACE_DAYS } from '../../src/auth/sessions.service.js';
import { JobsService } from '../../src/jobs/jobs.service.js';
import { bearer, registerAndLogin, TEST_PASSWORD } from '../support/auth.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

const DAY = 86_400_000;
const sessionOf = (accessToken: string): string => JSON.parse(Buffer.from(accessToken.split('.')[1], 'base64url').toString('utf8')).sid as string;

describe('session purge job', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  const login = async (email: string): Promise<{ accessToken: string }> =>
    (await t.http().post('/v1/auth/login').send({ email, password: TEST_PASSWORD }).expect(200)).body as { accessToken: string };
  /** Moves a session's start and its tokens' expiry `days` into the past. */
  const age = async (sessionId: string, startedDaysAgo: number, expiredDaysAgo: number): Promise<void> => {
    await t.sql.query(`UPDATE sessions SET created_at = now() - make_interval(days => $2) WHERE id = $1`, [sessionId, startedDaysAgo]);
    await t.sql.query(`UPDATE refresh_tokens SET expires_at = now() - make_interval(days => $2) WHERE session_id = $1`, [sessionId, expiredDaysAgo]);
  };
  const rows = async (sessionId: string): Promise<{ sessions: number; tokens: number }> => {
    const { rows: r } = await t.sql.query(
      `SELECT (SELECT count(*)::int FROM sessions WHERE id = $1) AS sessions, (SELECT count(*)::int FROM refresh_tokens WHERE session_id = $1) AS tokens`,
      [sessionId],
    );
    return r[0] as { sessions: number; tokens: number };
  };

  it('deletes tokens a week past expiry and their emptied sessions; keeps younger ones and live logins', async () => {
    const user = await registerAndLogin(t);
    const old = sessionOf(user.accessToken);
    const recent = sessionOf((await login(user.email)).accessToken);
    const live = await login(user.email);
    // A rotated token in the old family too: rotated tokens go with their family.
    await t.http().post('/v1/auth/refresh').send({ refreshToken: user.refreshToken }).expect(200);
    await age(old, 60, SESSION_PURGE_GRACE_DAYS + 1);
    await age(recent, 60, SESSION_PURGE_GRACE_DAYS - 1);

    const jobs = t.app.get(JobsService);
    const first = await jobs.runSessionPurge();
    expect(first.sessions).toBe(1);
    expect(first.refreshTokens).toBeGreaterThanOrEqual(2);
    expect(await rows(old)).toEqual({ sessions: 0, tokens: 0 });
    expect(await rows(recent)).toEqual({ sessions: 1, tokens: 1 });
    expect((await rows(sessionOf(live.accessToken))).sessions).toBe(1);
    await t.http().get('/v1/me').set('Authorization', bearer(live.accessToken)).expect(200);
    // An access token of a purged session is refused like a revoked one.
    await t.http().get('/v1/me').set('Authorization', bearer(user.accessToken)).expect(401);

    expect(await jobs.runSessionPurge()).toEqual({ refreshTokens: 0, sessions: 0 });
    // A week later the recent family goes too.
    expect(await jobs.runSessionPurge(new Date(Date.now() + 2 * DAY))).toEqual({ refreshTokens: 1, sessions: 1 });
  });
});
