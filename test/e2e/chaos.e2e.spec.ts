// The built server under 16 concurrent clients posting money with Idempotency-Keys, each
// retrying until acknowledged, while the server is killed with SIGKILL and restarted and
// PostgreSQL is stopped in immediate mode (SIGQUIT to the postmaster: what `pg_ctl stop -m
// immediate` sends) and started again mid-run. Afterwards every posting is in the books
// exactly once, the ledger check is clean and no 500 was seen (docs/security.md, "Faults").
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { startEmbeddedPostgres, type EmbeddedServer } from '../../src/database/embedded-postgres.js';
import { runMigrations } from '../../src/database/migrate.js';
import { APP_ROLE, grantAppPrivileges, OWNER_ROLE, provisionRoles, withCredentials } from '../../src/database/roles.js';
import { runLedgerCheck } from '../../src/ledger/ledger-check.js';
import { buildForTests, REPO_ROOT } from '../support/build.js';
import { freePorts } from '../support/ports.js';
import { seededRandom } from '../support/random.js';

const CLIENTS = 16;
const POSTINGS_PER_CLIENT = 10;
/** The server is killed once this many postings are acknowledged, PostgreSQL once this many are. */
const KILL_SERVER_AT = 40;
const RESTART_DATABASE_AT = 100;
/** Attempts one posting may take before the test gives up on it (a bound, not a timing). */
const MAX_ATTEMPTS = 600;
const SEED = Number(process.env.CHAOS_SEED ?? 20260312);

interface Posting {
  key: string;
  kind: 'adjustment' | 'contribution';
  amount: number;
  /** The id the acknowledging answer named (transfer or contribution). */
  id?: string;
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('chaos: crashes of the server and of PostgreSQL under concurrent money requests', () => {
  let dir: string;
  let pgPort: number;
  let port: number;
  let database: EmbeddedServer | undefined;
  let superuserUrl: string;
  let appUrl: string;
  let mainJs: string;
  let server: ChildProcess | undefined;
  let serverLog = '';
  const base = () => `http://127.0.0.1:${port}`;

  function startServer(): void {
    const child = spawn(process.execPath, [mainJs], {
      cwd: REPO_ROOT,
      env: {
        PATH: process.env.PATH,
        HOME: process.env.HOME ?? tmpdir(),
        DATABASE_URL: appUrl,
        PORT: String(port),
        LISTEN_ADDRESS: '127.0.0.1',
        ARVUT_DATA_DIR: join(dir, 'app'),
        JOBS_ENABLED: 'false',
        LOG_LEVEL: 'warn',
        LOGIN_LIMIT_PER_IP: '100000',
        LOGIN_LIMIT_PER_EMAIL: '100000',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout!.on('data', (d: Buffer) => (serverLog += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (serverLog += d.toString()));
    server = child;
  }

  async function untilReady(): Promise<void> {
    for (let i = 0; i < 600; i++) {
      const res = await fetch(`${base()}/health/ready`).catch(() => undefined);
      if (res?.status === 200) return;
      await pause(100);
    }
    throw new Error(`the server did not become ready:\n${serverLog.slice(-3000)}`);
  }

  async function killServer(): Promise<void> {
    const child = server!;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
  }

  /** Immediate shutdown: the postmaster gets SIGQUIT, aborts every backend and exits without a checkpoint. */
  async function crashDatabase(): Promise<void> {
    const pid = Number(readFileSync(join(dir, 'pg', 'postmaster.pid'), 'utf8').split('\n')[0]);
    process.kill(pid, 'SIGQUIT');
    for (;;) {
      try {
        process.kill(pid, 0);
      } catch {
        return;
      }
      await pause(50);
    }
  }

  beforeAll(async () => {
    mainJs = join(await buildForTests(), 'src', 'main.js');
    dir = mkdtempSync(join(tmpdir(), 'arvut-chaos-'));
    [pgPort, port] = await freePorts(2);
    database = await startEmbeddedPostgres({ dataDir: dir, port: pgPort });
    superuserUrl = database.url;
    // As `npm start` sets up its embedded server: migrations as the owner, the API as the app role.
    const passwords = { owner: 'chaos-owner', app: 'chaos-app' };
    await provisionRoles(superuserUrl, 'arvut', passwords);
    const ownerUrl = withCredentials(superuserUrl, OWNER_ROLE, passwords.owner);
    await runMigrations(ownerUrl);
    await grantAppPrivileges(ownerUrl, APP_ROLE);
    appUrl = withCredentials(superuserUrl, APP_ROLE, passwords.app);
    startServer();
    await untilReady();
  }, 300_000);

  afterAll(async () => {
    if (server && server.exitCode === null && server.signalCode === null) await killServer();
    await database?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('acknowledged postings are in the books exactly once, the ledger check is clean, no 500', async () => {
    const random = seededRandom(SEED);
    const post = async (path: string, token: string, body: unknown, key?: string) =>
      fetch(`${base()}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, ...(key ? { 'idempotency-key': key } : {}) },
        body: JSON.stringify(body),
      });

    const email = `chaos-${SEED}@example.org`;
    const password = 'plum-orbit-lantern-42';
    expect((await post('/v1/auth/register', '', { email, password })).status).toBe(201);
    const login = await post('/v1/auth/login', '', { email, password });
    const token = ((await login.json()) as { accessToken: string }).accessToken;
    const created = await post('/v1/circles', token, { name: 'Chaos', currency: 'USD', timezone: 'UTC' }, `chaos-circle-${SEED}`);
    expect(created.status).toBe(201);
    const circleId = ((await created.json()) as { id: string }).id;
    const yesterday = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);

    // Every posting has its own amount, so a posting counted twice shows in the books whatever its id.
    const amounts = new Set<number>();
    const postings: Posting[][] = Array.from({ length: CLIENTS }, (_, c) =>
      Array.from({ length: POSTINGS_PER_CLIENT }, (_, i) => {
        let amount: number;
        do amount = 100 + Math.floor(random.next() * 500_000);
        while (amounts.has(amount));
        amounts.add(amount);
        return { key: `chaos-${SEED}-${c}-${i}`, kind: random.next() < 0.5 ? 'adjustment' : 'contribution', amount };
      }),
    );

    const seen = { acknowledged: 0, retried: 0, connectionErrors: 0, unavailable: 0, fiveHundreds: [] as string[], refused: [] as string[] };

    async function acknowledge(p: Posting): Promise<void> {
      const [path, body] =
        p.kind === 'adjustment'
          ? [`/v1/circles/${circleId}/ledger/adjustments`, { direction: 'in', amount: p.amount, memo: p.key }]
          : [`/v1/circles/${circleId}/contributions`, { amount: p.amount, method: 'cash', receivedOn: yesterday }];
      for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
        if (attempt > 1) {
          seen.retried++;
          await pause(20 + Math.floor(random.next() * 80));
        }
        let res: Response;
        try {
          res = await post(path, token, body, p.key);
        } catch {
          seen.connectionErrors++;
          continue;
        }
        const text = await res.text().catch(() => '');
        if (res.status >= 200 && res.status < 300) {
          p.id = (JSON.parse(text) as { id: string }).id;
          seen.acknowledged++;
          return;
        }
        if (res.status === 503 || res.status === 409) {
          // 503: the database is away; 409: the first attempt with this key is still running.
          seen.unavailable += res.status === 503 ? 1 : 0;
          continue;
        }
        if (res.status >= 500) seen.fiveHundreds.push(`${p.key}: ${res.status} ${text.slice(0, 200)}`);
        else seen.refused.push(`${p.key}: ${res.status} ${text.slice(0, 200)}`);
        return;
      }
      seen.refused.push(`${p.key}: not acknowledged after ${MAX_ATTEMPTS} attempts`);
    }

    const until = async (count: number) => {
      while (seen.acknowledged < count && seen.fiveHundreds.length === 0 && seen.refused.length === 0) await pause(20);
    };
    const chaos = (async () => {
      await until(KILL_SERVER_AT);
      await killServer();
      startServer();
      await until(RESTART_DATABASE_AT);
      await crashDatabase();
      database = await startEmbeddedPostgres({ dataDir: dir, port: pgPort });
    })();
    await Promise.all(postings.map(async (mine) => {
      for (const p of mine) await acknowledge(p);
    }));
    await chaos;
    await killServer();

    const all = postings.flat();
    const adjustments = all.filter((p) => p.kind === 'adjustment');
    const contributions = all.filter((p) => p.kind === 'contribution');
    const sql = new pg.Client({ connectionString: superuserUrl });
    await sql.connect();
    try {
      const transfers = (await sql.query(`SELECT id, memo, (metadata->>'direction') AS direction FROM ledger_transfers WHERE circle_id = $1 AND kind = 'adjustment'`, [circleId])).rows as { id: string; memo: string }[];
      const gifts = (await sql.query(`SELECT id, amount::text AS amount, status, transfer_id FROM contributions WHERE circle_id = $1`, [circleId])).rows as { id: string; amount: string; status: string; transfer_id: string | null }[];
      const check = await runLedgerCheck(async (text, params) => (await sql.query(text, params)).rows, circleId);
      const pool = (await sql.query(`SELECT (debit_total - credit_total)::text AS balance FROM ledger_accounts WHERE circle_id = $1 AND kind = 'pool'`, [circleId])).rows[0] as { balance: string };

      console.log(
        `chaos (seed ${SEED}): ${all.length} postings by ${CLIENTS} clients (${adjustments.length} adjustments, ${contributions.length} contributions), ` +
          `${seen.acknowledged} acknowledged after ${seen.retried} retries (${seen.connectionErrors} connection errors, ${seen.unavailable} × 503); ` +
          `books: ${transfers.length} adjustment transfers, ${gifts.length} contributions, pool ${pool.balance}; ledger check ${check.results.every((r) => r.ok) ? 'clean' : 'BROKEN'}; 500s: ${seen.fiveHundreds.length}`,
      );
      expect(seen.fiveHundreds).toEqual([]);
      expect(seen.refused).toEqual([]);
      expect(seen.acknowledged).toBe(all.length);

      // Exactly once: one transfer per adjustment key, one contribution per amount, and the ids the answers named.
      expect(transfers.map((t) => t.memo).sort()).toEqual(adjustments.map((p) => p.key).sort());
      expect(new Set(transfers.map((t) => t.id))).toEqual(new Set(adjustments.map((p) => p.id)));
      expect(gifts.map((g) => Number(g.amount)).sort((a, b) => a - b)).toEqual(contributions.map((p) => p.amount).sort((a, b) => a - b));
      expect(new Set(gifts.map((g) => g.id))).toEqual(new Set(contributions.map((p) => p.id)));
      expect(gifts.every((g) => g.status === 'posted' && g.transfer_id !== null)).toBe(true);
      expect(BigInt(pool.balance)).toBe(all.reduce((sum, p) => sum + BigInt(p.amount), 0n));
      expect(check.results.filter((r) => !r.ok)).toEqual([]);
    } finally {
      await sql.end();
    }
  }, 240_000);
});
