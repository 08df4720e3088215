// Writes a new migration from the difference between the entities and the migrated schema.
// Usage: npm run migration:generate -- AddPledges
// Uses DATABASE_URL if set, otherwise a throwaway embedded PostgreSQL. Review the file before committing.
import 'reflect-metadata';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { startEmbeddedPostgres } from '../database/embedded-postgres.js';
import { runMigrations } from '../database/migrate.js';
import { schemaDiff } from '../database/schema-diff.js';

const name = process.argv[2];
if (!name || !/^[A-Z][A-Za-z0-9]+$/.test(name)) {
  console.error('Usage: npm run migration:generate -- PascalCaseName');
  process.exit(2);
}

const dir = mkdtempSync(join(tmpdir(), 'arvut-gen-'));
const server = process.env.DATABASE_URL ? undefined : await startEmbeddedPostgres({ dataDir: dir, port: 20000 + Math.floor(Math.random() * 20000) });
try {
  const url = process.env.DATABASE_URL ?? server!.url;
  await runMigrations(url);
  const diff = await schemaDiff(url);
  if (diff.up.length === 0) {
    console.log('No changes: the migrations already match the entities.');
  } else {
    const stamp = Date.now();
    const cls = `${name}${stamp}`;
    const literal = (s: string) => (/[`\\]|\$\{/.test(s) ? JSON.stringify(s) : `\`${s}\``);
    const q = (s: string) => `    await queryRunner.query(${literal(s)});`;
    const file = resolve('migrations', `${stamp}-${name}.ts`);
    writeFileSync(
      file,
      `import type { MigrationInterface, QueryRunner } from 'typeorm';\n\nexport class ${cls} implements MigrationInterface {\n  name = '${cls}';\n\n  async up(queryRunner: QueryRunner): Promise<void> {\n${diff.up.map(q).join('\n')}\n  }\n\n  async down(queryRunner: QueryRunner): Promise<void> {\n${diff.down.map(q).join('\n')}\n  }\n}\n`,
    );
    console.log(`Wrote ${file}: add ${cls} to migrations/index.ts after reviewing it.`);
  }
} finally {
  await server?.stop();
  rmSync(dir, { recursive: true, force: true });
}
