// The ledger benchmark (issue 3, "Performance"). Starts its own embedded PostgreSQL and the
// app on 127.0.0.1, then on that one server: (1) pgbench TPC-B as the reference, (2)
// adjustments through the HTTP API with autocannon, spread over 50 circles and then all into
// one, (3) ledger_post called directly in SQL. Prints a table and, last, one JSON line.
// Usage: npm run bench:ledger   (BENCH_SECONDS=15 by default; all traffic stays on loopback)
import 'reflect-metadata';
import autocannon from 'autocannon';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApp } from '../bootstrap.js';
import { loadConfig } from '../config/app-config.js';
import { startEmbeddedPostgres, type EmbeddedServer } from '../database/embedded-postgres.js';
import { runMigrations } from '../database/migrate.js';
import { freePort, pgbenchTpcb, runSqlPostings, type Measured } from './bench-support.js';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 15);
const CONNECTIONS = 16;
const CIRCLES = 50;
const TARGETS = { ratio_api_spread: 0.35, ratio_api_hot: 0.2, ratio_sql_spread: 0.6 };

// The load generator runs in a worker thread and loads this with require(), so it is CommonJS.
const SETUP_REQUEST = `const { randomUUID } = require('node:crypto');
module.exports = (req, context) => {
  const circles = context.circles;
  const circle = circles[Math.floor(Math.random() * circles.length)];
  return { ...req, path: '/v1/circles/' + circle + '/ledger/adjustments', headers: { ...req.headers, 'idempotency-key': randomUUID() } };
};`;

async function http(base: string, method: string, path: string, body: unknown, token?: string): Promise<Record<string, unknown>> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (token) headers.authorization = `Bearer ${token}`;
  if (method === 'POST') headers['idempotency-key'] = randomUUID();
  const res = await fetch(`${base}${path}`, { method, headers, body: JSON.stringify(body) });
  const json = (await res.json()) as Record<string, unknown>;
  if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(json)}`);
  return json;
}

async function api(base: string, token: string, circles: string[], setupFile: string, seconds: number): Promise<Measured> {
  const result = await autocannon({
    url: base,
    connections: CONNECTIONS,
    duration: seconds,
    workers: 1,
    initialContext: { circles },
    requests: [
      {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ direction: 'in', amount: 100 }),
        setupRequest: setupFile,
      },
    ],
  } as autocannon.Options);
  const total = result.requests.total;
  return { tps: total / result.duration, p50: result.latency.p50, p99: result.latency.p99, count: total, errors: result.errors + result.non2xx + result.timeouts };
}

function row(name: string, m: Measured | undefined): string {
  if (!m) return `${name.padEnd(40)} ${'skipped'.padStart(10)}`;
  const ms = (v: number): string => (Number.isFinite(v) ? v.toFixed(1) : '-').padStart(8);
  return `${name.padEnd(40)} ${m.tps.toFixed(1).padStart(10)} ${ms(m.p50)} ${ms(m.p99)} ${String(m.count).padStart(9)} ${String(m.errors).padStart(7)}`;
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'arvut-bench-'));
  let embedded: EmbeddedServer | undefined;
  let app: Awaited<ReturnType<typeof createApp>> | undefined;
  try {
    embedded = await startEmbeddedPostgres({ dataDir: dir, port: await freePort() });
    const url = embedded.url;
    console.error(`bench: PostgreSQL at 127.0.0.1:${new URL(url).port}, ${SECONDS} s per run, ${CONNECTIONS} connections`);

    const tpcb = await pgbenchTpcb(url, CONNECTIONS, SECONDS);
    if (!tpcb) console.error('bench: pgbench not found (install the PostgreSQL client tools): TPC-B and the ratios are skipped');

    await runMigrations(url);
    const config = loadConfig({ NODE_ENV: 'development', ARVUT_DATA_DIR: join(dir, 'app'), DATABASE_URL: url, LOG_LEVEL: 'warn', JOBS_ENABLED: 'false', ACCESS_TOKEN_TTL_SECONDS: '3600' });
    app = await createApp(config, url);
    await app.listen(0, '127.0.0.1');
    const base = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`;

    const email = `bench-${randomUUID()}@example.org`;
    const password = 'bench-lantern-orbit-42';
    await http(base, 'POST', '/v1/auth/register', { email, password });
    const { accessToken } = (await http(base, 'POST', '/v1/auth/login', { email, password })) as { accessToken: string };
    const circles: string[] = [];
    for (let i = 0; i < CIRCLES; i++) circles.push((await http(base, 'POST', '/v1/circles', { name: `Bench ${i}`, currency: 'USD', timezone: 'UTC' }, accessToken)).id as string);

    const setupFile = join(dir, 'setup-request.cjs');
    writeFileSync(setupFile, SETUP_REQUEST);
    await api(base, accessToken, circles, setupFile, 3); // warm-up, not measured
    const apiSpread = await api(base, accessToken, circles, setupFile, SECONDS);
    const apiHot = await api(base, accessToken, [circles[0]], setupFile, SECONDS);
    const sqlSpread = await runSqlPostings(url, circles, CONNECTIONS, SECONDS);

    const ratio = (m: Measured): number | null => (tpcb ? Number((m.tps / tpcb.tps).toFixed(3)) : null);
    const summary = {
      tpcb_tps: tpcb ? Number(tpcb.tps.toFixed(1)) : null,
      api_spread_tps: Number(apiSpread.tps.toFixed(1)),
      api_hot_tps: Number(apiHot.tps.toFixed(1)),
      sql_spread_tps: Number(sqlSpread.tps.toFixed(1)),
      api_p99_ms: Math.max(apiSpread.p99, apiHot.p99),
      ratio_api_spread: ratio(apiSpread),
      ratio_api_hot: ratio(apiHot),
      ratio_sql_spread: ratio(sqlSpread),
    };
    const errors = apiSpread.errors + apiHot.errors + sqlSpread.errors + (tpcb?.errors ?? 0);
    console.log(`${'run'.padEnd(40)} ${'tps'.padStart(10)} ${'p50 ms'.padStart(8)} ${'p99 ms'.padStart(8)} ${'requests'.padStart(9)} ${'errors'.padStart(7)}`);
    console.log(row(`pgbench TPC-B (scale 10, ${CONNECTIONS} clients)`, tpcb));
    console.log(row(`API adjustments, ${CIRCLES} circles`, apiSpread));
    console.log(row('API adjustments, 1 circle', apiHot));
    console.log(row(`SQL ledger_post, ${CIRCLES} circles`, sqlSpread));
    if (tpcb) {
      for (const [name, target] of Object.entries(TARGETS)) {
        const value = summary[name as keyof typeof TARGETS];
        console.log(`${name.padEnd(40)} ${String(value).padStart(10)}  target ≥ ${target}  ${value !== null && value >= target ? 'met' : 'MISSED'}`);
      }
    }
    console.log(`errors: ${errors}`);
    console.log(JSON.stringify(summary));
    process.exitCode = errors > 0 ? 1 : 0;
  } finally {
    await app?.close();
    await embedded?.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

// Bounded: whatever happens, the benchmark ends.
const deadline = setTimeout(() => {
  console.error('bench: took too long, giving up');
  process.exit(3);
}, (60 + SECONDS * 8) * 1000);
deadline.unref();
main().then(
  () => process.exit(process.exitCode ?? 0),
  (error: unknown) => {
    console.error('bench failed:', error instanceof Error ? error.stack : error);
    process.exit(2);
  },
);
