// The ledger benchmark (docs/performance.md). Starts its own embedded PostgreSQL and, as
// production runs it, the built server (`node dist/src/main.js`, WEB_CONCURRENCY workers)
// on 127.0.0.1, then on that one server: (1) pgbench TPC-B, (2)
// adjustments through the HTTP API with autocannon, spread over 50 circles (a first, cold run
// while the server warms up, printed but not judged; then the judged one) and then all into
// one, (3) ledger_post called directly in SQL by pgbench (as a prepared statement, as the app
// calls it), over the 50 circles and then, for context, into one, (4) TPC-B again. The
// reference for the ratios is the mean of the two TPC-B runs. Prints a table and, last, one
// JSON line.
// Usage: npm run bench:ledger   (BENCH_SECONDS=15 and BENCH_WEB_CONCURRENCY=2 by default;
// all traffic stays on loopback)
import 'reflect-metadata';
import type autocannon from 'autocannon';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmbeddedPostgres, type EmbeddedServer } from '../database/embedded-postgres.js';
import { prepareEmbeddedDatabase } from '../database/prepare.js';
import { benchRequest as http, startBenchServer, stopBenchServer, type BenchServer } from './bench-server.js';
import { HTTP_PLATFORM } from '../bootstrap.js';
import { autocannonRun, checkpoint, freePort, pgbenchPostings, pgbenchReference, runSqlPostings, tableRow, targetRow, type Measured, type Target } from './bench-support.js';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 15);
const WORKERS = Number(process.env.BENCH_WEB_CONCURRENCY ?? 2);
const CONNECTIONS = 16;
const CIRCLES = 50;
const POOL_PER_WORKER = Math.ceil(CONNECTIONS / WORKERS) + 2;
const TARGETS: Record<'ratio_api_spread' | 'ratio_api_hot' | 'ratio_sql_spread', Target> = {
  ratio_api_spread: { floor: 0.25, aim: 0.35, kind: 'min' },
  ratio_api_hot: { floor: 0.15, aim: 0.2, kind: 'min' },
  ratio_sql_spread: { floor: 0.6, aim: 0.6, kind: 'min' },
};

// The load generator runs in a worker thread and loads this with require(), so it is CommonJS.
const SETUP_REQUEST = `const { randomUUID } = require('node:crypto');
module.exports = (req, context) => {
  const circles = context.circles;
  const circle = circles[Math.floor(Math.random() * circles.length)];
  return { ...req, path: '/v1/circles/' + circle + '/ledger/adjustments', headers: { ...req.headers, 'idempotency-key': randomUUID() } };
};`;

function api(base: string, token: string, circles: string[], setupFile: string, seconds: number): Promise<Measured> {
  return autocannonRun({
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
}

const row = (name: string, m: Measured | undefined): string => tableRow(name, m, 40);

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'arvut-bench-'));
  let embedded: EmbeddedServer | undefined;
  let server: BenchServer | undefined;
  try {
    embedded = await startEmbeddedPostgres({ dataDir: dir, port: await freePort() });
    const url = embedded.url;
    console.error(`bench: PostgreSQL at 127.0.0.1:${new URL(url).port}, ${SECONDS} s per run, ${CONNECTIONS} connections, ${WORKERS} app worker(s)`);

    const tpcbBefore = await pgbenchReference(url, CONNECTIONS, SECONDS, 'tpcb');
    if (!tpcbBefore) console.error('bench: pgbench not found (install the PostgreSQL client tools): TPC-B and the ratios are skipped');

    // Done here so the server's start is quick; it connects as the app role, as `npm start` runs it.
    const appUrl = (await prepareEmbeddedDatabase(url, dir)).appUrl;
    // Each worker serves about CONNECTIONS / WORKERS requests at a time, and a request holds
    // one connection at a time (the session check, then its transaction): a little headroom.
    server = await startBenchServer(appUrl, join(dir, 'app'), await freePort(), WORKERS, POOL_PER_WORKER);
    const base = server.base;

    const email = `bench-${randomUUID()}@example.org`;
    const password = 'bench-lantern-orbit-42';
    await http(base, 'POST', '/v1/auth/register', { email, password });
    const { accessToken } = (await http(base, 'POST', '/v1/auth/login', { email, password })) as { accessToken: string };
    const circles: string[] = [];
    for (let i = 0; i < CIRCLES; i++) circles.push((await http(base, 'POST', '/v1/circles', { name: `Bench ${i}`, currency: 'USD', timezone: 'UTC' }, accessToken)).id as string);

    const setupFile = join(dir, 'setup-request.cjs');
    writeFileSync(setupFile, SETUP_REQUEST);
    // The server's first seconds under load are not its steady state: V8 is still optimising
    // the request path (a worker's CPU per adjustment falls by about a third over its first
    // 20 s; docs/performance.md). That run is printed as the cold start; the judged one follows.
    const apiCold = await api(base, accessToken, circles, setupFile, SECONDS);
    await checkpoint(url);
    const apiSpread = await api(base, accessToken, circles, setupFile, SECONDS);
    await checkpoint(url);
    const apiHot = await api(base, accessToken, [circles[0]], setupFile, SECONDS);
    // pgbench, like the reference, so both SQL figures carry the same client cost; node-pg without it.
    const sqlSpread = (await pgbenchPostings(url, circles, CONNECTIONS, SECONDS, dir)) ?? (await runSqlPostings(url, circles, CONNECTIONS, SECONDS));
    // Context for the hot run, not a target: what the database alone posts into one circle.
    const sqlHot = await pgbenchPostings(url, [circles[0]], CONNECTIONS, SECONDS, dir);
    // The reference again, last: the host's speed drifts over the minutes a run takes, so the
    // ratios divide by the mean of the two (both printed), not by the first alone.
    const tpcbAfter = tpcbBefore ? await pgbenchReference(url, CONNECTIONS, SECONDS, 'tpcb') : undefined;
    const tpcb = tpcbBefore && tpcbAfter ? (tpcbBefore.tps + tpcbAfter.tps) / 2 : undefined;

    const ratio = (m: Measured): number | null => (tpcb ? Number((m.tps / tpcb).toFixed(3)) : null);
    const summary = {
      platform: HTTP_PLATFORM,
      tpcb_tps: tpcb ? Number(tpcb.toFixed(1)) : null,
      tpcb_before_tps: tpcbBefore ? Number(tpcbBefore.tps.toFixed(1)) : null,
      tpcb_after_tps: tpcbAfter ? Number(tpcbAfter.tps.toFixed(1)) : null,
      api_cold_tps: Number(apiCold.tps.toFixed(1)),
      api_spread_tps: Number(apiSpread.tps.toFixed(1)),
      api_hot_tps: Number(apiHot.tps.toFixed(1)),
      sql_spread_tps: Number(sqlSpread.tps.toFixed(1)),
      api_p99_ms: Math.max(apiSpread.p99, apiHot.p99),
      ratio_api_spread: ratio(apiSpread),
      ratio_api_hot: ratio(apiHot),
      ratio_sql_spread: ratio(sqlSpread),
    };
    const errors = apiCold.errors + apiSpread.errors + apiHot.errors + sqlSpread.errors + (sqlHot?.errors ?? 0) + (tpcbBefore?.errors ?? 0) + (tpcbAfter?.errors ?? 0);
    console.log(`app: node dist/src/main.js on ${HTTP_PLATFORM}, WEB_CONCURRENCY=${WORKERS} workers, DATABASE_POOL_SIZE=${POOL_PER_WORKER} each; load: ${CONNECTIONS} connections`);
    console.log(`${'run'.padEnd(40)} ${'tps'.padStart(10)} ${'p50 ms'.padStart(8)} ${'p99 ms'.padStart(8)} ${'requests'.padStart(9)} ${'errors'.padStart(7)}`);
    console.log(row(`pgbench TPC-B (scale 10, ${CONNECTIONS} clients), first`, tpcbBefore));
    console.log(row(`API, ${CIRCLES} circles, cold (not judged)`, apiCold));
    console.log(row(`API adjustments, ${CIRCLES} circles`, apiSpread));
    console.log(row('API adjustments, 1 circle', apiHot));
    console.log(row(`SQL ledger_post, ${CIRCLES} circles${tpcb ? ' (pgbench)' : ''}`, sqlSpread));
    if (sqlHot) console.log(row('SQL ledger_post, 1 circle (pgbench)', sqlHot) + (tpcb ? `  (${(sqlHot.tps / tpcb).toFixed(3)} of TPC-B: the ceiling for the API hot run)` : ''));
    if (tpcbAfter) console.log(row('pgbench TPC-B again, last', tpcbAfter) + `  (reference: the mean, ${tpcb?.toFixed(1)} tps)`);
    if (tpcb) {
      for (const [name, target] of Object.entries(TARGETS)) console.log(targetRow(name, summary[name as keyof typeof TARGETS], target, 40));
    }
    console.log(`errors: ${errors}`);
    console.log(JSON.stringify(summary));
    process.exitCode = errors > 0 ? 1 : 0;
  } finally {
    if (server && !(await stopBenchServer(server))) process.exitCode = 1;
    await embedded?.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

// Bounded: whatever happens, the benchmark ends.
const deadline = setTimeout(() => {
  console.error('bench: took too long, giving up');
  process.exit(3);
}, (60 + SECONDS * 11) * 1000);
deadline.unref();
main().then(
  () => process.exit(process.exitCode ?? 0),
  (error: unknown) => {
    console.error('bench failed:', error instanceof Error ? error.stack : error);
    process.exit(2);
  },
);
