// With PostgreSQL down or restarting, the API answers 503 `unavailable` with Retry-After
// (never a 500), /health/ready says the database is down, and when PostgreSQL is back the
// same process serves again without a restart (docs/security.md, "Faults").
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import request from 'supertest';
import { createApp } from '../../src/bootstrap.js';
import { loadConfig } from '../../src/config/app-config.js';
import { startEmbeddedPostgres, type EmbeddedServer } from '../../src/database/embedded-postgres.js';
import { runMigrations } from '../../src/database/migrate.js';
import { bearer, registerAndLogin } from '../support/auth.js';
import { freePort } from '../support/ports.js';
import { startApp, type TestApp } from '../support/test-app.js';

describe('the API while its database is away', () => {
  let dir: string;
  let port: number;
  let pg: EmbeddedServer | undefined;
  let app: NestFastifyApplication;
  const http = () => request(app.getHttpServer());

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'arvut-outage-'));
    port = await freePort();
    pg = await startEmbeddedPostgres({ dataDir: dir, port });
    await runMigrations(pg.url);
    const config = loadConfig({ NODE_ENV: 'test', ARVUT_DATA_DIR: join(dir, 'app'), DATABASE_URL: pg.url, LOG_LEVEL: 'silent', LOGIN_LIMIT_PER_IP: '100000' });
    app = await startApp(await createApp(config, pg.url));
  });
  afterAll(async () => {
    await app?.close();
    await pg?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('answers 503 with Retry-After while PostgreSQL is down, and recovers by itself when it is back', async () => {
    const user = await registerAndLogin({ http } as unknown as TestApp);
    await http().get('/v1/me').set('Authorization', bearer(user.accessToken)).expect(200);
    await http().get('/health/ready').expect(200);

    await pg!.stop();
    const down = {
      me: await http().get('/v1/me').set('Authorization', bearer(user.accessToken)),
      circle: await http().post('/v1/circles').set('Authorization', bearer(user.accessToken)).set('Idempotency-Key', 'outage-0001').send({ name: 'Outage', currency: 'USD', timezone: 'UTC' }),
      login: await http().post('/v1/auth/login').send({ email: user.email, password: 'whatever-password-1' }),
    };
    for (const [name, res] of Object.entries(down)) {
      expect([name, res.status, res.body.type]).toEqual([name, 503, 'urn:arvut:problem:unavailable']);
      expect(Number(res.headers['retry-after'])).toBeGreaterThanOrEqual(1);
      expect(res.text).not.toMatch(/ECONNREFUSED|127\.0\.0\.1|postgres/i);
    }
    expect((await http().get('/health/ready')).status).toBe(503);

    pg = await startEmbeddedPostgres({ dataDir: dir, port });
    // The pool drops the connections that died with the old server and opens new ones.
    let status = 0;
    for (let i = 0; i < 20 && status !== 200; i++) {
      status = (await http().get('/v1/me').set('Authorization', bearer(user.accessToken))).status;
      expect([200, 503]).toContain(status);
    }
    expect(status).toBe(200);
    await http().get('/health/ready').expect(200);
    await http().post('/v1/circles').set('Authorization', bearer(user.accessToken)).set('Idempotency-Key', 'outage-0002').send({ name: 'After', currency: 'USD', timezone: 'UTC' }).expect(201);
  });
});
