import 'reflect-metadata';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import request from 'supertest';
import { createApp } from '../../src/bootstrap.js';
import { runMigrations } from '../../src/database/migrate.js';
import { APP_ROLE, grantAppPrivileges, OWNER_ROLE, provisionRoles, withCredentials } from '../../src/database/roles.js';
import { runLedgerCheck } from '../../src/ledger/ledger-check.js';
import { loadConfig, type AppConfig } from '../../src/config/app-config.js';
import { adminUrl, databaseUrl, TEMPLATE_DB } from './test-env.js';

export interface TestApp {
  app: NestFastifyApplication;
  config: AppConfig;
  /** The app role's URL, which the app connects with. */
  databaseUrl: string;
  /** A superuser's URL of the same database (what `sql` uses). */
  adminDatabaseUrl: string;
  http: () => ReturnType<typeof request>;
  /** A client on the test database, for assertions and raw-SQL guard tests. */
  sql: pg.Pool;
  /** For the few tests that corrupt the ledger on purpose: skip the check at close. */
  allowBrokenLedger(): void;
  /**
   * Closes the app and drops its database — after running the ledger check on it: every
   * test file that uses the app ends by proving the invariants still hold (issue 3).
   */
  close(): Promise<void>;
}

/** Initializes the app and its Fastify instance, so supertest can reach it without a listening port. */
export async function startApp(app: NestFastifyApplication): Promise<NestFastifyApplication> {
  await app.init();
  await app.getHttpAdapter().getInstance().ready();
  return app;
}

/** The test cluster's passwords of the owner and app roles (src/database/roles.ts). */
const ROLE_PASSWORDS = { owner: 'arvut-test-owner', app: 'arvut-test-app' };

/**
 * Clones the migrated template into a fresh database for this test file. The template is
 * migrated as the owner role and grants the app role what the API may do, as `npm start`
 * sets up the embedded server: `appUrl` is what the app connects with, `url` a superuser's
 * connection for assertions and for tests that break things on purpose.
 */
export async function createTestDatabase(): Promise<{ name: string; url: string; appUrl: string; drop(): Promise<void> }> {
  const name = `t_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl() });
  await admin.connect();
  try {
    // One builder of the template per run; clones wait for it and for each other.
    await admin.query('SELECT pg_advisory_lock(7253470002)');
    const ready = await admin.query(`SELECT shobj_description(oid, 'pg_database') AS note FROM pg_database WHERE datname = $1`, [TEMPLATE_DB]);
    if (ready.rows[0]?.note !== 'migrated') {
      await admin.query(`DROP DATABASE IF EXISTS ${TEMPLATE_DB} WITH (FORCE)`);
      await admin.query(`CREATE DATABASE ${TEMPLATE_DB}`);
      await provisionRoles(adminUrl(), TEMPLATE_DB, ROLE_PASSWORDS);
      const ownerUrl = withCredentials(databaseUrl(TEMPLATE_DB), OWNER_ROLE, ROLE_PASSWORDS.owner);
      await runMigrations(ownerUrl);
      await grantAppPrivileges(ownerUrl, APP_ROLE);
      await admin.query(`COMMENT ON DATABASE ${TEMPLATE_DB} IS 'migrated'`);
    }
    await admin.query(`CREATE DATABASE ${name} TEMPLATE ${TEMPLATE_DB}`);
  } finally {
    await admin.query('SELECT pg_advisory_unlock(7253470002)').catch(() => undefined);
    await admin.end();
  }
  return {
    name,
    url: databaseUrl(name),
    appUrl: withCredentials(databaseUrl(name), APP_ROLE, ROLE_PASSWORDS.app),
    drop: async () => {
      const c = new pg.Client({ connectionString: adminUrl() });
      await c.connect();
      try {
        // Connections that are closing (a pool ending, a job runner stopping) get a moment to
        // go on their own; FORCE then ends any left, which are named if a test leaked them.
        for (let i = 0; i < 40; i++) {
          const { rows } = await c.query('SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1', [name]);
          if (rows[0].n === 0) break;
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
        await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await c.end();
      }
    },
  };
}

/** The real application, on its own database cloned from the migrated template. */
export async function createTestApp(env: Record<string, string> = {}, options: { logLines?: string[] } = {}): Promise<TestApp> {
  const db = await createTestDatabase();
  const dataDir = mkdtempSync(join(tmpdir(), 'arvut-app-'));
  const config = loadConfig({
    NODE_ENV: 'test',
    ARVUT_DATA_DIR: dataDir,
    DATABASE_URL: db.appUrl,
    LOG_LEVEL: options.logLines ? 'info' : 'silent',
    LOGIN_LIMIT_PER_IP: '100000',
    LOGIN_LIMIT_PER_EMAIL: '100000',
    ...env,
  });
  // With `logLines`, every log line the app writes is collected there (LOG_LEVEL defaults to info then).
  const logDestination = options.logLines ? { write: (line: string) => void options.logLines!.push(line) } : undefined;
  const app = await startApp(await createApp(config, db.appUrl, { logDestination }));
  const server = app.getHttpServer();
  const sql = new pg.Pool({ connectionString: db.url, max: 4, application_name: 'arvut-test-sql' });
  // An idle connection that the server drops (the database's own drop, below) must not crash
  // whichever test file this worker runs next with an unhandled 'error' event.
  sql.on('error', () => undefined);
  let checkLedger = true;
  return {
    app,
    config,
    databaseUrl: db.appUrl,
    adminDatabaseUrl: db.url,
    http: () => request(server),
    sql,
    allowBrokenLedger: () => {
      checkLedger = false;
    },
    close: async () => {
      await app.close();
      try {
        if (checkLedger) {
          const check = await runLedgerCheck(async (text, params) => (await sql.query(text, params)).rows, null);
          const broken = check.results.filter((r) => !r.ok).map((r) => `${r.name}: ${r.offendingIds.join(' ')}`);
          if (broken.length) throw new Error(`ledger check failed after this test file (call t.allowBrokenLedger() only if a test corrupts it on purpose):\n${broken.join('\n')}`);
        }
      } finally {
        await sql.end();
        await db.drop();
        rmSync(dataDir, { recursive: true, force: true });
      }
    },
  };
}

export interface TestInstance {
  app: NestFastifyApplication;
  http: () => ReturnType<typeof request>;
  /** Closes this instance only; the database belongs to the TestApp it was made from. */
  close(): Promise<void>;
}

/**
 * Another instance of the application on the same database — as behind a load balancer —
 * with the first one's configuration and secrets (tokens work on both), optionally changed.
 */
export async function createSecondInstance(t: TestApp, overrides: Partial<AppConfig> = {}): Promise<TestInstance> {
  const app = await startApp(await createApp({ ...t.config, ...overrides }, t.databaseUrl));
  const server = app.getHttpServer();
  return { app, http: () => request(server), close: () => app.close() };
}
