// Runs the ledger's invariant checks over the whole database and prints one line per
// invariant with the offending ids. Exits 1 when any invariant fails, 2 when it cannot run.
// Usage: npm run ledger:check [-- --json]
// Checks DATABASE_URL if set; otherwise the embedded PostgreSQL of `npm start` (in
// ARVUT_DATA_DIR, default ./.arvut), used while it runs or started (and migrated) for the check.
import 'reflect-metadata';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import pg from 'pg';
import { startEmbeddedPostgres, type EmbeddedServer } from '../database/embedded-postgres.js';
import { prepareEmbeddedDatabase } from '../database/prepare.js';
import { runLedgerCheck, type LedgerCheckResult } from '../ledger/ledger-check.js';

const json = process.argv.includes('--json');

/** The URL of the embedded server when `npm start` already runs it, else undefined. */
async function runningEmbedded(dataDir: string, port: number): Promise<string | undefined> {
  const passwordFile = join(dataDir, 'pg-password');
  if (!existsSync(passwordFile)) return undefined;
  const url = `postgres://postgres:${encodeURIComponent(readFileSync(passwordFile, 'utf8').trim())}@127.0.0.1:${port}/arvut`;
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    return url;
  } catch {
    return undefined;
  } finally {
    await client.end().catch(() => undefined);
  }
}

function print(result: LedgerCheckResult): void {
  if (json) {
    console.log(JSON.stringify(result));
    return;
  }
  const width = Math.max(...result.results.map((r) => r.name.length));
  for (const r of result.results) {
    const ids = r.offendingIds.length ? `  ${r.offendingIds.join(' ')}${r.offendingCount > r.offendingIds.length ? ' …' : ''}` : '';
    console.log(`${r.ok ? 'PASS' : 'FAIL'}  ${r.name.padEnd(width)}  (invariant ${r.invariant}) ${r.ok ? r.description : `${r.offendingCount} offending:${ids}`}`);
  }
  console.log(result.ok ? 'Ledger check: all invariants hold.' : 'Ledger check: INVARIANTS BROKEN (see FAIL lines).');
}

async function main(): Promise<number> {
  let embedded: EmbeddedServer | undefined;
  let url = process.env.DATABASE_URL;
  if (!url) {
    const dataDir = resolve(process.env.ARVUT_DATA_DIR || './.arvut');
    const port = Number(process.env.ARVUT_PG_PORT || 54329);
    url = await runningEmbedded(dataDir, port);
    if (!url) {
      embedded = await startEmbeddedPostgres({ dataDir, port });
      url = (await prepareEmbeddedDatabase(embedded.url, dataDir)).appUrl;
    }
  }
  const client = new pg.Client({ connectionString: url, application_name: 'arvut-ledger-check' });
  await client.connect();
  try {
    // One snapshot for every query, and nothing written.
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    const result = await runLedgerCheck(async (sql, params) => (await client.query(sql, params)).rows, null);
    await client.query('COMMIT');
    print(result);
    return result.ok ? 0 : 1;
  } finally {
    await client.end();
    await embedded?.stop();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error('ledger:check could not run:', error instanceof Error ? error.message : error);
    process.exit(2);
  },
);
