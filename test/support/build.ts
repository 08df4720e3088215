import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { adminUrl } from './test-env.js';

/** The repository root (test/support/ is two levels down). */
export const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));

const BUILD_LOCK = 7253470003; // one builder per test run; the other files wait for it
const STALE_MS = 2 * 60 * 60 * 1000; // older builds belong to runs long finished

export interface RunResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  output: string;
}

/** Runs a command to completion, collecting stdout and stderr together. */
export function run(command: string, args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number } = {}): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: options.cwd ?? REPO_ROOT, env: options.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 240_000);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, output });
    });
  });
}

/**
 * Compiles the app with `nest build` — the only compile that applies the @nestjs/swagger
 * CLI plugin — into a directory under dist/ private to this test run, so a build by
 * someone else (or `npm start`) cannot change the files under a running test. Built once
 * per run; returns the directory holding `src/main.js` and `src/bin/*.js`.
 */
export async function buildForTests(): Promise<string> {
  const runId = createHash('sha256').update(adminUrl()).digest('hex').slice(0, 12);
  const outDir = join(REPO_ROOT, 'dist', `test-build-${runId}`);
  const done = join(outDir, '.built');
  const lock = new pg.Client({ connectionString: adminUrl() });
  await lock.connect();
  try {
    await lock.query('SELECT pg_advisory_lock($1)', [BUILD_LOCK]);
    if (existsSync(done)) return outDir;
    removeStaleBuilds(outDir);
    mkdirSync(outDir, { recursive: true });
    // Paths in an extended tsconfig stay relative to the file that sets them: rootDir and
    // include still mean the repository, only the output moves.
    writeFileSync(join(outDir, 'tsconfig.json'), JSON.stringify({ extends: '../../tsconfig.json', compilerOptions: { outDir: '.', tsBuildInfoFile: './.tsbuildinfo' } }));
    const nest = join(REPO_ROOT, 'node_modules', '@nestjs', 'cli', 'bin', 'nest.js');
    // The CLI joins -p onto the working directory, so the path must be relative.
    const result = await run(process.execPath, [nest, 'build', '-p', relative(REPO_ROOT, join(outDir, 'tsconfig.json'))]);
    if (result.code !== 0) throw new Error(`nest build failed (exit ${result.code}):\n${result.output.slice(-4000)}`);
    writeFileSync(done, new Date().toISOString());
    return outDir;
  } finally {
    await lock.query('SELECT pg_advisory_unlock($1)', [BUILD_LOCK]).catch(() => undefined);
    await lock.end();
  }
}

function removeStaleBuilds(keep: string): void {
  const dist = join(REPO_ROOT, 'dist');
  if (!existsSync(dist)) return;
  for (const name of readdirSync(dist)) {
    const dir = join(dist, name);
    if (!name.startsWith('test-build-') || dir === keep) continue;
    if (Date.now() - statSync(dir).mtimeMs > STALE_MS) rmSync(dir, { recursive: true, force: true });
  }
}
