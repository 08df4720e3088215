// The receipt feed benchmark (docs/performance.md). Starts its own embedded PostgreSQL
// and the built server on 127.0.0.1, then on that one server: (1) pgbench select-only (-S)
// as the reference, (2) a circle loaded with 100,000 receipts through ledger_post, (3) the
// feed read by a member with autocannon at 64 connections over random pages, first while
// the servers' page caches fill (printed, not judged), then measured once they hold the
// complete pages, (4) page 1 against page 1,000, one request at a time. Prints a table and,
// last, one JSON line.
// Usage: npm run bench:feed   (BENCH_SECONDS=15, BENCH_RECEIPTS=100000, BENCH_WEB_CONCURRENCY=2;
// all traffic stays on loopback)
import 'reflect-metadata';
import type autocannon from 'autocannon';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodeCursor } from '../common/pagination.js';
import { startEmbeddedPostgres, type EmbeddedServer } from '../database/embedded-postgres.js';
import { prepareEmbeddedDatabase } from '../database/prepare.js';
import { loadReceipts, pageQueryTime, sequentialLatency } from './bench-feed-support.js';
import { benchRequest as http, startBenchServer, stopBenchServer, type BenchServer } from './bench-server.js';
import { HTTP_PLATFORM } from '../bootstrap.js';
import { autocannonRun, checkpoint, freePort, pgbenchReference, tableRow, targetRow, type Measured, type Target } from './bench-support.js';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 15);
const RECEIPTS = Number(process.env.BENCH_RECEIPTS ?? 100_000);
const WORKERS = Number(process.env.BENCH_WEB_CONCURRENCY ?? 2);
const CONNECTIONS = 64;
const PGBENCH_CLIENTS = 16;
const PAGE = 50; // the feed's default page size
const TARGETS: Record<'ratio_feed' | 'feed_p99_ms' | 'page1000_vs_page1', Target> = {
  ratio_feed: { floor: 0.1, aim: 0.12, kind: 'min' },
  feed_p99_ms: { floor: 40, aim: 25, kind: 'max' },
  page1000_vs_page1: { floor: 1.2, aim: 1.2, kind: 'max' },
};

// The load generator runs in a worker thread and loads this with require(), so it is CommonJS.
// Every request reads a random page of the whole chain, keyed by the cursor a client would hold.
const SETUP_REQUEST = `module.exports = (req, context) => {
  const page = Math.floor(Math.random() * context.pages);
  const cursor = page === 0 ? '' : '?cursor=' + Buffer.from(JSON.stringify([page * context.pageSize])).toString('base64url');
  return { ...req, path: '/v1/circles/' + context.circleId + '/receipts' + cursor };
};`;

async function login(base: string): Promise<string> {
  const email = `bench-${randomUUID()}@example.org`;
  const password = 'bench-lantern-orbit-42';
  await http(base, 'POST', '/v1/auth/register', { email, password });
  return ((await http(base, 'POST', '/v1/auth/login', { email, password })) as { accessToken: string }).accessToken;
}

function feed(base: string, token: string, circleId: string, setupFile: string, seconds: number): Promise<Measured> {
  return autocannonRun({
    url: base,
    connections: CONNECTIONS,
    duration: seconds,
    workers: 1,
    initialContext: { circleId, pages: Math.floor(RECEIPTS / PAGE), pageSize: PAGE },
    requests: [{ method: 'GET', headers: { authorization: `Bearer ${token}` }, setupRequest: setupFile }],
  } as autocannon.Options);
}

const row = (name: string, m: Measured | undefined): string => tableRow(name, m, 44);

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'arvut-bench-feed-'));
  let embedded: EmbeddedServer | undefined;
  let server: BenchServer | undefined;
  try {
    embedded = await startEmbeddedPostgres({ dataDir: dir, port: await freePort() });
    const url = embedded.url;
    console.error(`bench: PostgreSQL at 127.0.0.1:${new URL(url).port}, ${SECONDS} s per run, ${RECEIPTS} receipts, ${WORKERS} app worker(s)`);

    const select = await pgbenchReference(url, PGBENCH_CLIENTS, SECONDS, 'select-only');
    if (!select) console.error('bench: pgbench not found (install the PostgreSQL client tools): the select-only reference and ratio_feed are skipped');

    // The server connects as the app role, as `npm start` runs it.
    const appUrl = (await prepareEmbeddedDatabase(url, dir)).appUrl;
    server = await startBenchServer(appUrl, join(dir, 'app'), await freePort(), WORKERS);
    const base = server.base;
    const organizer = await login(base);
    const member = await login(base);
    const circleId = (await http(base, 'POST', '/v1/circles', { name: 'Bench feed', currency: 'USD', timezone: 'UTC' }, organizer)).id as string;
    const invite = await http(base, 'POST', `/v1/circles/${circleId}/invites`, { role: 'member' }, organizer);
    await http(base, 'POST', `/v1/invites/${String(invite.token)}/accept`, undefined, member);

    const started = Date.now();
    await loadReceipts(url, circleId, RECEIPTS, 500, (done) => {
      if (done % 10_000 < 500) console.error(`bench: ${done} receipts loaded (${((Date.now() - started) / 1000).toFixed(0)} s)`);
    });
    const loadSeconds = (Date.now() - started) / 1000;

    const setupFile = join(dir, 'setup-request.cjs');
    writeFileSync(setupFile, SETUP_REQUEST);
    // The first run starts with empty page caches (one per worker: 2,000 complete pages each
    // at 100,000 receipts) and fills them; it is printed as the cold start. The judged run is
    // the steady state that follows.
    const cold = await feed(base, member, circleId, setupFile, SECONDS);
    await checkpoint(url);
    const reads = await feed(base, member, circleId, setupFile, SECONDS);

    const page1 = `/v1/circles/${circleId}/receipts`;
    const page1000 = `${page1}?cursor=${encodeCursor([999 * PAGE])}`;
    const [http1, http1000] = await sequentialLatency(base, member, [page1, page1000], 300);
    const [sql1, sql1000] = await pageQueryTime(url, circleId, [0, 999 * PAGE], PAGE, 300);

    const round = (v: number, digits = 3): number => Number(v.toFixed(digits));
    const summary = {
      platform: HTTP_PLATFORM,
      select_tps: select ? round(select.tps, 1) : null,
      feed_rps: round(reads.tps, 1),
      feed_p99_ms: reads.p99,
      feed_cold_rps: round(cold.tps, 1),
      feed_cold_p99_ms: cold.p99,
      ratio_feed: select ? round(reads.tps / select.tps) : null,
      page1000_vs_page1: round(http1000 / http1),
    };
    const errors = reads.errors + cold.errors + (select?.errors ?? 0);
    console.log(`app: node dist/src/main.js on ${HTTP_PLATFORM}, WEB_CONCURRENCY=${WORKERS}; ${RECEIPTS} receipts loaded in ${loadSeconds.toFixed(0)} s (${(RECEIPTS / loadSeconds).toFixed(0)}/s through ledger_post)`);
    console.log(`${'run'.padEnd(44)} ${'rps'.padStart(10)} ${'p50 ms'.padStart(8)} ${'p99 ms'.padStart(8)} ${'requests'.padStart(9)} ${'errors'.padStart(7)}`);
    console.log(row(`pgbench select-only (scale 10, ${PGBENCH_CLIENTS} clients)`, select));
    console.log(row(`feed, caches filling (first ${SECONDS} s, not judged)`, cold));
    console.log(row(`feed, member, random pages, ${CONNECTIONS} connections`, reads));
    console.log(`${'page 1 vs page 1,000 (one at a time)'.padEnd(44)} HTTP median ${http1.toFixed(2)} vs ${http1000.toFixed(2)} ms; SQL execution median ${sql1.toFixed(3)} vs ${sql1000.toFixed(3)} ms`);
    for (const [name, target] of Object.entries(TARGETS)) console.log(targetRow(name, summary[name as keyof typeof TARGETS], target, 44));
    console.log(`errors: ${errors}`);
    console.log(JSON.stringify(summary));
    process.exitCode = errors > 0 ? 1 : 0;
  } finally {
    if (server) await stopBenchServer(server);
    await embedded?.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

// Bounded: whatever happens, the benchmark ends.
const deadline = setTimeout(() => {
  console.error('bench: took too long, giving up');
  process.exit(3);
}, (600 + SECONDS * 8) * 1000);
deadline.unref();
main().then(
  () => process.exit(process.exitCode ?? 0),
  (error: unknown) => {
    console.error('bench failed:', error instanceof Error ? error.stack : error);
    process.exit(2);
  },
);
