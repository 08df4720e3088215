// `npm start` as a new user runs it: the built server, no DATABASE_URL, no secrets, an
// embedded PostgreSQL in the data directory; restarted to show the data is kept; stopped
// with SIGTERM, which must end the process with 0 and the embedded server with it. Then the
// same with WEB_CONCURRENCY=2: a primary and two cluster workers on the one port.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import yaml from 'js-yaml';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildForTests, REPO_ROOT, run } from '../support/build.js';
import { freePorts } from '../support/ports.js';

function portOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The promise's value, or 'timeout'; the timer is cleared so it cannot keep jest alive. */
async function within<T>(promise: Promise<T>, ms: number): Promise<T | 'timeout'> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), ms)));
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

interface Server {
  child: ChildProcess;
  output: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

describe('the built server, as `npm start` runs it', () => {
  let build: string;
  let dataDir: string;
  let env: NodeJS.ProcessEnv;
  let port: number;
  let pgPort: number;
  const running = new Set<Server>();

  function start(extraEnv: NodeJS.ProcessEnv = {}): Server {
    const child = spawn(process.execPath, [join(build, 'src', 'main.js')], { cwd: REPO_ROOT, env: { ...env, ...extraEnv }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
    const server = { child, output: () => output, exited };
    running.add(server);
    void exited.then(() => running.delete(server));
    return server;
  }

  async function waitReady(server: Server, timeoutMs = 150_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    let exited = false;
    void server.exited.then(() => (exited = true));
    while (Date.now() < deadline) {
      if (exited) throw new Error(`the server exited before it was ready:\n${server.output()}`);
      const res = await fetch(`http://127.0.0.1:${port}/health/ready`).catch(() => undefined);
      if (res?.status === 200) return;
      await sleep(250);
    }
    throw new Error(`the server was not ready within ${timeoutMs} ms:\n${server.output()}`);
  }

  async function stop(server: Server): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
    server.child.kill('SIGTERM');
    const result = await within(server.exited, 60_000);
    if (result === 'timeout') throw new Error(`the server did not exit within 60 s of SIGTERM:\n${server.output()}`);
    return result;
  }

  const api = (path: string, body: unknown) =>
    fetch(`http://127.0.0.1:${port}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

  beforeAll(async () => {
    build = await buildForTests();
    dataDir = mkdtempSync(join(tmpdir(), 'arvut-start-'));
    [port, pgPort] = await freePorts(2);
    // Nothing from the test run leaks in: no DATABASE_URL, no NODE_ENV, no secrets.
    env = { PATH: process.env.PATH, HOME: process.env.HOME ?? tmpdir(), TMPDIR: process.env.TMPDIR, PORT: String(port), ARVUT_PG_PORT: String(pgPort), ARVUT_DATA_DIR: dataDir };
  }, 300_000);

  afterAll(async () => {
    // A failed assertion must not leave a server or an orphaned PostgreSQL behind.
    for (const server of running) {
      server.child.kill('SIGTERM');
      await within(server.exited, 30_000);
      if (server.child.exitCode === null && server.child.signalCode === null) server.child.kill('SIGKILL');
    }
    const pidFile = join(dataDir ?? '', 'pg', 'postmaster.pid');
    if (dataDir && existsSync(pidFile)) {
      const file = pidFile;
      const pid = Number(readFileSync(file, 'utf8').split('\n')[0]);
      if (pid > 0) {
        try {
          process.kill(pid, 'SIGINT'); // PostgreSQL's fast shutdown
        } catch {
          // already gone
        }
      }
      for (let i = 0; i < 100 && existsSync(file); i++) await sleep(200);
    }
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  }, 120_000);

  it('starts with no configuration, keeps its data across a restart and stops cleanly on SIGTERM', async () => {
    const email = `start-${Date.now()}@example.org`;
    const password = 'plum-orbit-lantern-42';

    // First start: creates the cluster, the secrets and the schema.
    const first = start();
    await waitReady(first);
    const secretsFile = join(dataDir, 'secrets.json');
    expect(statSync(secretsFile).mode & 0o777).toBe(0o600);
    const secrets = readFileSync(secretsFile, 'utf8');
    expect(first.output()).toMatch(/Using secrets generated/);
    expect(first.output()).toMatch(/Applied migrations/);

    // The running server's docs are what `npm run openapi` writes from the same build
    // (which wires the app without a database): the contract describes the real app.
    const served = await (await fetch(`http://127.0.0.1:${port}/docs/openapi.json`)).json();
    const generatedFile = join(dataDir, 'openapi.generated.yaml');
    const generated = await run(process.execPath, [join(build, 'src', 'bin', 'openapi.js'), `--out=${generatedFile}`]);
    expect([generated.code, generated.output]).toEqual([0, generated.output]);
    expect(served).toEqual(yaml.load(readFileSync(generatedFile, 'utf8')));

    expect((await api('/v1/auth/register', { email, password })).status).toBe(201);

    const firstExit = await stop(first);
    expect([firstExit, first.output()]).toEqual([{ code: 0, signal: null }, first.output()]);
    expect(await portOpen(port)).toBe(false);
    expect(await portOpen(pgPort)).toBe(false);

    // Second start: same data directory, same secrets, the same account.
    const second = start();
    await waitReady(second);
    expect(readFileSync(secretsFile, 'utf8')).toBe(secrets);
    expect(second.output()).not.toMatch(/Applied migrations/);
    const login = await api('/v1/auth/login', { email, password });
    expect(login.status).toBe(200);
    expect(await login.json()).toMatchObject({ accessToken: expect.any(String), refreshToken: expect.any(String) });

    const secondExit = await stop(second);
    expect([secondExit, second.output()]).toEqual([{ code: 0, signal: null }, second.output()]);
    expect(await portOpen(pgPort)).toBe(false);
  }, 400_000);

  it('with WEB_CONCURRENCY=2 serves from two workers and stops them all, and the embedded server, on SIGTERM', async () => {
    const server = start({ WEB_CONCURRENCY: '2' });
    await waitReady(server);
    // Ready as soon as one worker listens; the primary says so once both do.
    for (let i = 0; i < 240 && !/arvut listening on .*2 workers/.test(server.output()); i++) await sleep(250);
    expect(server.output()).toMatch(/arvut listening on .*2 workers/);
    // Each worker logs its own start, under its own pid.
    const workerPids = new Set([...server.output().matchAll(/"pid":(\d+)[^\n]*Nest application successfully started/g)].map((m) => m[1]));
    expect(workerPids.size).toBe(2);
    expect(workerPids.has(String(server.child.pid))).toBe(false);

    const email = `cluster-${Date.now()}@example.org`;
    const password = 'plum-orbit-lantern-42';
    expect((await api('/v1/auth/register', { email, password })).status).toBe(201);
    const logins = await Promise.all(Array.from({ length: 4 }, () => api('/v1/auth/login', { email, password })));
    expect(logins.map((r) => r.status)).toEqual([200, 200, 200, 200]);

    const exit = await stop(server);
    expect([exit, server.output()]).toEqual([{ code: 0, signal: null }, server.output()]);
    expect(server.output()).toMatch(/SIGTERM received: stopping 2 worker/);
    expect(await portOpen(port)).toBe(false);
    expect(await portOpen(pgPort)).toBe(false);
    for (const pid of workerPids) expect(() => process.kill(Number(pid), 0)).toThrow();
  }, 400_000);
});
