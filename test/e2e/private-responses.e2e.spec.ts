// Answers that carry private data (tokens, invites, vault reads, the caller's own account)
// must not be kept by a browser or a shared cache: docs/security.md, "Caches".
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { bearer, registerAndLogin, TEST_PASSWORD } from '../support/auth.js';
import { createCircle, type TestUser } from '../support/circles.js';
import { createRecipient } from '../support/roster.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

describe('private responses are never cached', () => {
  let t: TestApp;
  let organizer: TestUser;
  let circleId: string;
  beforeAll(async () => {
    t = await createTestApp();
    organizer = await registerAndLogin(t);
    circleId = await createCircle(t, organizer);
  });
  afterAll(async () => {
    await t?.close();
  });

  it('tokens, the account, invites and vault reads carry Cache-Control: no-store', async () => {
    const auth = bearer(organizer.accessToken);
    const recipient = await createRecipient(t, circleId, organizer, { alias: 'N.', contact: 'cache-marker@example.org' });
    const answers = {
      login: await t.http().post('/v1/auth/login').send({ email: organizer.email, password: TEST_PASSWORD }),
      refresh: await t.http().post('/v1/auth/refresh').send({ refreshToken: organizer.refreshToken }),
      me: await t.http().get('/v1/me').set('Authorization', auth),
      invite: await t.http().post(`/v1/circles/${circleId}/invites`).set('Authorization', auth).send({ role: 'member' }),
      invites: await t.http().get(`/v1/circles/${circleId}/invites`).set('Authorization', auth),
      vault: await t.http().get(`/v1/circles/${circleId}/recipients/${recipient.id}/private`).set('Authorization', auth),
      problem: await t.http().get(`/v1/circles/${circleId}/recipients/${circleId}/private`).set('Authorization', auth),
    };
    const seen = Object.fromEntries(Object.entries(answers).map(([name, res]) => [name, [res.status < 500, res.headers['cache-control']]]));
    expect(seen).toEqual(Object.fromEntries(Object.keys(answers).map((name) => [name, [true, 'no-store']])));
    expect(answers.vault.status).toBe(200);
  });
});
