// Pieces of `npm run bench:ledger` that do not need the app: the pgbench reference run and
// the direct-SQL posting run.
import autocannon from 'autocannon';
import { spawn, spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
export { freePort } from './free-port.js';

export interface Measured {
  tps: number;
  p50: number;
  p99: number;
  count: number;
  errors: number;
}

/** One autocannon run (in a worker thread), as a Measured: every error, non-2xx and timeout counts. */
export async function autocannonRun(options: autocannon.Options): Promise<Measured> {
  const result = await autocannon(options);
  const total = result.requests.total;
  return { tps: total / result.duration, p50: result.latency.p50, p99: result.latency.p99, count: total, errors: result.errors + result.non2xx + result.timeouts };
}

/** A row of a benchmark's table: name padded to `width`, then rate, p50, p99, count, errors. */
export function tableRow(name: string, m: Measured | undefined, width: number): string {
  if (!m) return `${name.padEnd(width)} ${'skipped'.padStart(10)}`;
  const ms = (v: number): string => (Number.isFinite(v) ? v.toFixed(1) : '-').padStart(8);
  return `${name.padEnd(width)} ${m.tps.toFixed(1).padStart(10)} ${ms(m.p50)} ${ms(m.p99)} ${String(m.count).padStart(9)} ${String(m.errors).padStart(7)}`;
}

/** A benchmark's goal for one figure: the floor it must reach, and the aim beyond it. */
export interface Target {
  floor: number;
  aim: number;
  /** 'min': higher is better (a ratio); 'max': lower is better (a latency, a slowdown). */
  kind: 'min' | 'max';
}

/** The table row judging `value` against `target`: met at the aim, met at the floor, or missed. */
export function targetRow(name: string, value: number | null, target: Target, width: number): string {
  const sign = target.kind === 'min' ? '≥' : '≤';
  const reaches = (bound: number): boolean => value !== null && (target.kind === 'min' ? value >= bound : value <= bound);
  const verdict = value === null ? 'skipped' : reaches(target.aim) ? 'aim met' : reaches(target.floor) ? 'floor met' : 'MISSED';
  return `${name.padEnd(width)} ${String(value).padStart(10)}  floor ${sign} ${target.floor}, aim ${sign} ${target.aim}  ${verdict}`;
}


function run(command: string, args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, output }));
  });
}

/**
 * Every measured run starts right after a CHECKPOINT, so none of them (the reference
 * included) has a checkpoint, and the burst of full-page WAL writes after it, fall into
 * it by chance: otherwise a run that happens to cross one loses a share of its throughput.
 */
export async function checkpoint(url: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  await client.query('CHECKPOINT').finally(() => client.end());
}

function pgbenchEnv(url: string, database: string): NodeJS.ProcessEnv {
  const target = new URL(url);
  return { ...process.env, PGPASSWORD: decodeURIComponent(target.password), PGHOST: '127.0.0.1', PGPORT: target.port, PGUSER: decodeURIComponent(target.username), PGDATABASE: database };
}

export const hasPgbench = (): boolean => spawnSync('pgbench', ['--version'], { stdio: 'ignore' }).status === 0;

/** Runs pgbench with `args` and reads its summary. */
async function pgbench(env: NodeJS.ProcessEnv, args: string[]): Promise<Measured> {
  const bench = await run('pgbench', args, env);
  if (bench.code !== 0) throw new Error(`pgbench ${args.join(' ')} failed:\n${bench.output}`);
  const tps = Number(/tps = ([\d.]+) \(without initial connection time\)/.exec(bench.output)?.[1]);
  const latency = Number(/latency average = ([\d.]+) ms/.exec(bench.output)?.[1]);
  const processed = Number(/number of transactions actually processed: (\d+)/.exec(bench.output)?.[1]);
  const failed = Number(/number of failed transactions: (\d+)/.exec(bench.output)?.[1] ?? 0);
  if (!Number.isFinite(tps)) throw new Error(`cannot read pgbench's tps:\n${bench.output}`);
  // pgbench reports the mean latency only (shown in the p50 column).
  return { tps, p50: latency, p99: Number.NaN, count: processed, errors: failed };
}

/**
 * pgbench at scale 10 on a fresh `pgbench` database of the benchmark's server, as the
 * reference a benchmark's figures are divided by: TPC-B (the built-in tpcb-like script) or
 * select-only (`-S`). Undefined when pgbench is absent.
 */
export async function pgbenchReference(url: string, clients: number, seconds: number, script: 'tpcb' | 'select-only'): Promise<Measured | undefined> {
  if (!hasPgbench()) return undefined;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query('DROP DATABASE IF EXISTS pgbench').then(() => admin.query('CREATE DATABASE pgbench')).finally(() => admin.end());
  const env = pgbenchEnv(url, 'pgbench');
  const init = await run('pgbench', ['-i', '-q', '-s', '10'], env);
  if (init.code !== 0) throw new Error(`pgbench -i failed:\n${init.output}`);
  await checkpoint(url);
  return pgbench(env, [...(script === 'select-only' ? ['-S'] : []), '-c', String(clients), '-j', '2', '-T', String(seconds)]);
}

/**
 * `clients` pgbench connections calling ledger_post for `seconds`, each call into a random
 * one of `circles`: the same load generator as the TPC-B reference, and the statement
 * prepared as the app prepares it (src/ledger/ledger.service.ts). Undefined without pgbench.
 */
export async function pgbenchPostings(url: string, circles: string[], clients: number, seconds: number, scriptDir: string): Promise<Measured | undefined> {
  if (!hasPgbench()) return undefined;
  const script = join(scriptDir, 'ledger-post.sql');
  const ids = `'{${circles.join(',')}}'::uuid[]`;
  writeFileSync(
    script,
    `\\set i random(1, ${circles.length})\nSELECT ledger_post(gen_random_uuid(), (${ids})[:i], 'adjustment', '[{"account":"pool","amount":"100"},{"account":"adjustments","amount":"-100"}]'::jsonb, NULL, NULL, '{"direction":"in"}'::jsonb);\n`,
  );
  await checkpoint(url);
  return pgbench(pgbenchEnv(url, new URL(url).pathname.slice(1)), ['-n', '-M', 'prepared', '-f', script, '-c', String(clients), '-j', '2', '-T', String(seconds)]);
}

/** Without pgbench: `clients` node-pg connections each calling ledger_post in a loop for `seconds`, over random circles. */
export async function runSqlPostings(url: string, circles: string[], clients: number, seconds: number): Promise<Measured> {
  const entries = JSON.stringify([{ account: 'pool', amount: 100 }, { account: 'adjustments', amount: -100 }]);
  await checkpoint(url);
  const latencies: number[] = [];
  let errors = 0;
  const until = Date.now() + seconds * 1000;
  const started = Date.now();
  await Promise.all(
    Array.from({ length: clients }, async () => {
      const client = new pg.Client({ connectionString: url, application_name: 'arvut-bench' });
      await client.connect();
      try {
        while (Date.now() < until) {
          const circle = circles[Math.floor(Math.random() * circles.length)];
          const t0 = performance.now();
          await client.query('SELECT ledger_post($1, $2, $3, $4::jsonb)', [randomUUID(), circle, 'adjustment', entries]).catch(() => errors++);
          latencies.push(performance.now() - t0);
        }
      } finally {
        await client.end();
      }
    }),
  );
  const elapsed = (Date.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const at = (q: number): number => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? Number.NaN;
  return { tps: latencies.length / elapsed, p50: at(0.5), p99: at(0.99), count: latencies.length, errors };
}
