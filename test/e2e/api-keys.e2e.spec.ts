// API keys (src/circles/api-keys.service.ts): a key acts with its role in its own circle
// only, never opens a person's account, stops at once when revoked, and is rate-limited.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { bearer, registerAndLogin } from '../support/auth.js';
import { createCircle, type TestUser } from '../support/circles.js';
import { postAdjustment } from '../support/ledger.js';
import { createRecipient } from '../support/roster.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

const LIMIT = 25;

describe('API keys', () => {
  let t: TestApp;
  let organizer: TestUser;
  let circleId: string;
  let otherCircleId: string;

  const createKey = async (role: string, id = circleId) => {
    const res = await t.http().post(`/v1/circles/${id}/api-keys`).set('Authorization', bearer(organizer.accessToken)).send({ name: `${role} bot`, role }).expect(201);
    return res.body as { id: string; key: string; prefix: string; role: string };
  };
  const withKey = (key: string) => ({ Authorization: bearer(key) });

  beforeAll(async () => {
    t = await createTestApp({ API_KEY_LIMIT_PER_MINUTE: String(LIMIT) });
    organizer = await registerAndLogin(t);
    circleId = await createCircle(t, organizer);
    otherCircleId = await createCircle(t, organizer);
  });
  afterAll(async () => {
    await t.close();
  });

  it('is shown once with a recognizable prefix, and stored only as a hash', async () => {
    const created = await createKey('treasurer');
    expect(created.key).toMatch(/^arvk_[A-Za-z0-9_-]{43}$/);
    expect(created.prefix).toBe(created.key.slice(0, 12));
    const list = await t.http().get(`/v1/circles/${circleId}/api-keys`).set('Authorization', bearer(organizer.accessToken)).expect(200);
    expect(JSON.stringify(list.body)).not.toContain(created.key);
    const stored = JSON.stringify((await t.sql.query('SELECT * FROM api_keys WHERE id = $1', [created.id])).rows);
    expect(stored).not.toContain(created.key.slice(12));
  });

  it('acts with its role in its circle: a treasurer key reads payouts and moves money, but does nothing an organizer does', async () => {
    const { key } = await createKey('treasurer');
    await t.http().get(`/v1/circles/${circleId}`).set(withKey(key)).expect(200);
    await t.http().get(`/v1/circles/${circleId}/payouts`).set(withKey(key)).expect(200);
    await t.http().get(`/v1/circles/${circleId}/events`).set(withKey(key)).expect(200);
    const posted = await t.http().post(`/v1/circles/${circleId}/ledger/adjustments`).set(withKey(key)).set('Idempotency-Key', crypto.randomUUID()).send({ direction: 'in', amount: 500, memo: 'bot' });
    expect(posted.status).toBe(201);
    const recipient = await createRecipient(t, circleId, organizer, { alias: 'K.', contact: 'k@example.org' });
    for (const [method, path, body] of [
      ['get', `/v1/circles/${circleId}/recipients/${recipient.id}/private`, undefined],
      ['get', `/v1/circles/${circleId}/api-keys`, undefined],
      ['post', `/v1/circles/${circleId}/api-keys`, { name: 'x', role: 'member' }],
      ['get', `/v1/circles/${circleId}/webhooks`, undefined],
      ['post', `/v1/circles/${circleId}/invites`, { role: 'member' }],
    ] as const) {
      const req = t.http()[method](path).set(withKey(key));
      const res = await (body ? req.send(body) : req);
      expect([method, path, res.status]).toEqual([method, path, 403]);
    }
  });

  it('gives a member key only what members read', async () => {
    const { key } = await createKey('member');
    await t.http().get(`/v1/circles/${circleId}/members`).set(withKey(key)).expect(200);
    await t.http().get(`/v1/circles/${circleId}/payouts`).set(withKey(key)).expect(403);
    const res = await postAdjustment(t, { accessToken: key } as TestUser, circleId, { direction: 'in', amount: 100 });
    expect(res.status).toBe(403);
  });

  it('cannot be made an organizer', async () => {
    const res = await t.http().post(`/v1/circles/${circleId}/api-keys`).set('Authorization', bearer(organizer.accessToken)).send({ name: 'boss', role: 'organizer' }).expect(400);
    expect(res.body.type).toBe('urn:arvut:problem:validation-failed');
  });

  it('answers another circle with 404, and never opens the account routes', async () => {
    const { key } = await createKey('treasurer');
    await t.http().get(`/v1/circles/${otherCircleId}`).set(withKey(key)).expect(404);
    await t.http().get(`/v1/circles/${otherCircleId}/payouts`).set(withKey(key)).expect(404);
    for (const path of ['/v1/me', '/v1/circles']) {
      const res = await t.http().get(path).set(withKey(key)).expect(401);
      expect(res.body.type).toBe('urn:arvut:problem:unauthenticated');
    }
    await t.http().delete('/v1/me').set(withKey(key)).send({ password: 'x' }).expect(401);
    await t.http().get(`/v1/circles/${circleId}`).set(withKey(`${key.slice(0, -1)}A`)).expect(401);
    await t.http().get(`/v1/circles/${circleId}`).set(withKey('arvk_short')).expect(401);
  });

  it('stops working the moment it is revoked, and shows its last use', async () => {
    const created = await createKey('member');
    await t.http().get(`/v1/circles/${circleId}`).set(withKey(created.key)).expect(200);
    await t.http().delete(`/v1/circles/${circleId}/api-keys/${created.id}`).set('Authorization', bearer(organizer.accessToken)).expect(204);
    await t.http().get(`/v1/circles/${circleId}`).set(withKey(created.key)).expect(401);
    const list = await t.http().get(`/v1/circles/${circleId}/api-keys?limit=100`).set('Authorization', bearer(organizer.accessToken)).expect(200);
    const listed = list.body.items.find((k: { id: string }) => k.id === created.id);
    expect(listed).toMatchObject({ role: 'member', lastUsedAt: expect.any(String), revokedAt: expect.any(String) });
    await t.http().delete(`/v1/circles/${otherCircleId}/api-keys/${created.id}`).set('Authorization', bearer(organizer.accessToken)).expect(404);
  });

  it('is rate-limited per key', async () => {
    const first = await createKey('member');
    const second = await createKey('member');
    let limited = 0;
    for (let i = 0; i < LIMIT + 3; i++) {
      const res = await t.http().get(`/v1/circles/${circleId}`).set(withKey(first.key));
      if (res.status === 429) {
        limited++;
        expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
      } else expect(res.status).toBe(200);
    }
    expect(limited).toBe(3);
    await t.http().get(`/v1/circles/${circleId}`).set(withKey(second.key)).expect(200);
  });
});
