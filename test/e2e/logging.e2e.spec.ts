// DESIGN.md invariant 9 and issue 2: logs carry a request id but never authorization
// headers, cookies, tokens, passwords or email addresses.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { createApp } from '../../src/bootstrap.js';
import { loadConfig } from '../../src/config/app-config.js';
import { bearer, TEST_PASSWORD, uniqueEmail } from '../support/auth.js';
import { createTestDatabase, startApp } from '../support/test-app.js';

describe('request logs', () => {
  const lines: string[] = [];
  let app: NestFastifyApplication;
  let drop: () => Promise<void>;
  let dataDir: string;
  const http = () => request(app.getHttpServer());

  beforeAll(async () => {
    const db = await createTestDatabase();
    drop = db.drop;
    dataDir = mkdtempSync(join(tmpdir(), 'arvut-log-'));
    const config = loadConfig({ NODE_ENV: 'test', ARVUT_DATA_DIR: dataDir, DATABASE_URL: db.appUrl, LOG_LEVEL: 'info' });
    app = await startApp(await createApp(config, db.appUrl, { logDestination: { write: (line: string) => void lines.push(line) } }));
  });
  afterAll(async () => {
    await app?.close();
    await drop?.();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('name the request but none of its secrets or personal data', async () => {
    const email = uniqueEmail('Log-Person');
    const secrets: string[] = [email, email.toLowerCase(), email.split('@')[0].toLowerCase(), TEST_PASSWORD];
    const requestId = 'log-test-request-0001';

    await http().post('/v1/auth/register').set('X-Request-Id', requestId).send({ email, password: TEST_PASSWORD }).expect(201);
    const login = await http().post('/v1/auth/login').send({ email, password: TEST_PASSWORD }).expect(200);
    const { accessToken, refreshToken } = login.body as { accessToken: string; refreshToken: string };
    secrets.push(accessToken, refreshToken);

    const cookie = 'session=cookie-secret-value-123';
    secrets.push('cookie-secret-value-123');
    await http().get('/v1/me').set('Authorization', bearer(accessToken)).set('Cookie', cookie).expect(200);
    await http().get(`/v1/circles?email=${encodeURIComponent(email)}`).set('Authorization', bearer(accessToken));
    const refreshed = await http().post('/v1/auth/refresh').send({ refreshToken }).expect(200);
    secrets.push(refreshed.body.accessToken, refreshed.body.refreshToken);

    // Failures log too: a wrong password, a bad token, a body that does not parse, an invalid field.
    await http().post('/v1/auth/login').send({ email, password: 'wrong-password-123' }).expect(401);
    secrets.push('wrong-password-123');
    await http().get('/v1/me').set('Authorization', 'Bearer forged.token.value').expect(401);
    secrets.push('forged.token.value');
    await http().post('/v1/auth/login').set('Content-Type', 'application/json').send(`{"email":"${email}","password":`).expect(400);
    await http().post('/v1/auth/register').send({ email, password: TEST_PASSWORD, extra: 'x' }).expect(400);

    // An invite token is a bearer secret that travels in the URL.
    const circle = await http()
      .post('/v1/circles')
      .set('Authorization', bearer(refreshed.body.accessToken))
      .set('Idempotency-Key', 'log-test-key-0001')
      .send({ name: 'Log test circle', currency: 'USD', timezone: 'America/New_York' })
      .expect(201);
    const invite = await http().post(`/v1/circles/${circle.body.id}/invites`).set('Authorization', bearer(refreshed.body.accessToken)).send({ role: 'donor' }).expect(201);
    secrets.push(invite.body.token, 'log-test-key-0001');
    await http().post(`/v1/invites/${invite.body.token}/accept`).set('Authorization', bearer(refreshed.body.accessToken));

    await new Promise((resolve) => setImmediate(resolve));
    const text = lines.join('');
    // The logs are there and useful: JSON lines, one per request, with the request id.
    const records = text.trim().split('\n').map((l) => JSON.parse(l) as { req?: { id: string; url: string }; res?: { statusCode: number } });
    const requests = records.filter((r) => r.req && r.res);
    expect(requests.length).toBeGreaterThanOrEqual(10);
    expect(requests.map((r) => r.req!.id)).toContain(requestId);

    const leaked = secrets.filter((s) => text.includes(s));
    expect(leaked).toEqual([]);
    expect(text).not.toMatch(/bearer /i);
    expect(requests.map((r) => r.req!.url)).toContain('/v1/invites/[redacted]/accept');
  });
});
