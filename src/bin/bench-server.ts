// The built server as a benchmark runs it (`node dist/src/main.js`, as `npm start` does), on
// the benchmark's own database and a loopback port. Used by bench-ledger.ts and bench-feed.ts.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';

export interface BenchServer {
  child: ChildProcess;
  base: string;
  output: () => string;
  exited: Promise<number | null>;
}

/**
 * Starts the server on 127.0.0.1 with request logs at `warn`, jobs off, hour-long access
 * tokens, `workers` HTTP processes and, when given, `poolSize` connections per process;
 * resolves once /health/ready answers.
 */
export async function startBenchServer(databaseUrl: string, dataDir: string, port: number, workers: number, poolSize?: number): Promise<BenchServer> {
  const main = fileURLToPath(new URL('../main.js', import.meta.url));
  const env = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    NODE_ENV: 'development',
    ARVUT_DATA_DIR: dataDir,
    DATABASE_URL: databaseUrl,
    PORT: String(port),
    LISTEN_ADDRESS: '127.0.0.1',
    LOG_LEVEL: 'warn',
    JOBS_ENABLED: 'false',
    ACCESS_TOKEN_TTL_SECONDS: '3600',
    WEB_CONCURRENCY: String(workers),
    ...(poolSize ? { DATABASE_POOL_SIZE: String(poolSize) } : {}),
  };
  const child = spawn(process.execPath, [main], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const keep = (d: Buffer): void => {
    output = (output + d.toString()).slice(-20_000);
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const server = { child, base: `http://127.0.0.1:${port}`, output: () => output, exited };
  let gone = false;
  void exited.then(() => (gone = true));
  for (const until = Date.now() + 120_000; Date.now() < until; ) {
    if (gone) throw new Error(`the server exited before it was ready:\n${output}`);
    const res = await fetch(`${server.base}/health/ready`).catch(() => undefined);
    if (res?.status === 200) return server;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  child.kill('SIGKILL');
  throw new Error(`the server was not ready within 120 s:\n${output}`);
}

/**
 * SIGTERM, as a process manager stops it; SIGKILL if it has not exited within 30 s.
 * Returns false (after printing its output) when the server did not exit cleanly.
 */
export async function stopBenchServer(server: BenchServer): Promise<boolean> {
  if (server.child.exitCode !== null || server.child.signalCode !== null) return true;
  server.child.kill('SIGTERM');
  const timer = setTimeout(() => server.child.kill('SIGKILL'), 30_000);
  const code = await server.exited;
  clearTimeout(timer);
  if (code === 0) return true;
  console.error(`bench: the server exited with ${code} on SIGTERM:\n${server.output()}`);
  return false;
}

/** One JSON request for a benchmark's set-up; POSTs carry a fresh Idempotency-Key. Throws on a non-2xx answer. */
export async function benchRequest(base: string, method: string, path: string, body: unknown, token?: string): Promise<Record<string, unknown>> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (token) headers.authorization = `Bearer ${token}`;
  if (method === 'POST') headers['idempotency-key'] = randomUUID();
  const res = await fetch(`${base}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const json = (await res.json()) as Record<string, unknown>;
  if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(json)}`);
  return json;
}
