import { describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../../src/database/data-source-options.js';
import { runMigrations } from '../../src/database/migrate.js';
import { schemaDiff } from '../../src/database/schema-diff.js';
import { MIGRATIONS } from '../../migrations/index.js';
import { createTestDatabase } from '../support/test-app.js';

const explain = (statements: string[]): string =>
  `The entities and migrations/ disagree. Generate a migration (npm run migration:generate -- Name), review it, and add it to migrations/index.ts. TypeORM would run:\n${statements.join(';\n')}`;

/** Everything a migration can create in the public schema, as comparable lines. */
async function schemaFingerprint(url: string): Promise<string[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ line: string }>(`
      SELECT 'column ' || table_name || '.' || column_name || ' ' || data_type || ' null=' || is_nullable || ' default=' || coalesce(column_default, '') AS line
        FROM information_schema.columns WHERE table_schema = 'public'
      UNION ALL
      SELECT 'constraint ' || conrelid::regclass || ' ' || conname || ' ' || pg_get_constraintdef(c.oid)
        FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace WHERE n.nspname = 'public'
      UNION ALL
      SELECT 'index ' || indexdef FROM pg_indexes WHERE schemaname = 'public'
      UNION ALL
      SELECT 'trigger ' || tgrelid::regclass || ' ' || tgname || ' ' || pg_get_triggerdef(t.oid)
        FROM pg_trigger t JOIN pg_class r ON r.oid = t.tgrelid JOIN pg_namespace n ON n.oid = r.relnamespace
       WHERE n.nspname = 'public' AND NOT t.tgisinternal
      UNION ALL
      SELECT 'function ' || p.proname || '(' || pg_get_function_identity_arguments(p.oid) || ') ' || md5(p.prosrc)
        FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname = 'public'
         AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = p.oid AND d.deptype = 'e')
      UNION ALL
      SELECT 'type ' || t.typname FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
       WHERE n.nspname = 'public' AND t.typtype IN ('e', 'd')
      ORDER BY 1`);
    return rows.map((r) => r.line);
  } finally {
    await client.end();
  }
}

describe('migrations', () => {
  it('match the entities: generating a migration would produce nothing', async () => {
    const db = await createTestDatabase();
    try {
      const diff = await schemaDiff(db.url);
      if (diff.up.length > 0) throw new Error(explain(diff.up));
      expect(diff.up).toEqual([]);
    } finally {
      await db.drop();
    }
  });

  it('all revert with down() and re-apply to the same schema', async () => {
    const db = await createTestDatabase();
    try {
      const migrated = await schemaFingerprint(db.url);
      const dataSource = new DataSource(dataSourceOptions(db.url, 2));
      await dataSource.initialize();
      try {
        for (let i = 0; i < MIGRATIONS.length; i++) await dataSource.undoLastMigration({ transaction: 'each' });
      } finally {
        await dataSource.destroy();
      }
      // Once every down() has run, only TypeORM's bookkeeping table may remain.
      expect((await schemaFingerprint(db.url)).filter((line) => !/schema_migrations/.test(line))).toEqual([]);

      expect(await runMigrations(db.url)).toHaveLength(MIGRATIONS.length);
      expect(await schemaFingerprint(db.url)).toEqual(migrated);
    } finally {
      await db.drop();
    }
  });
});
