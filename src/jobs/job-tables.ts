import PgBoss from 'pg-boss';
import type { DataSource } from 'typeorm';
import { JOBS_SCHEMA } from './job-schedules.js';

/**
 * Installs pg-boss's tables in its schema when they are not there yet. The API's database
 * role may not create schemas (docs/operations.md, "Database roles"): the schema is made for
 * it, owned by it, when the database is prepared, and pg-boss's own installer would stop at
 * its `CREATE SCHEMA IF NOT EXISTS` (PostgreSQL checks the right to create schemas before it
 * looks whether one exists). So the installer's script runs here without that statement;
 * its advisory lock still serializes instances that start together.
 */
export async function installJobTables(dataSource: DataSource): Promise<void> {
  const installed = async (): Promise<boolean> => {
    const rows: { found: string | null }[] = await dataSource.query(`SELECT to_regclass('${JOBS_SCHEMA}.version')::text AS found`);
    return rows[0]?.found !== null;
  };
  if (await installed()) return;
  const script = PgBoss.getConstructionPlans(JOBS_SCHEMA).replace(new RegExp(`CREATE SCHEMA IF NOT EXISTS ${JOBS_SCHEMA}\\s*;`, 'i'), '');
  const runner = dataSource.createQueryRunner();
  try {
    await runner.query(script);
  } catch (error) {
    await runner.query('ROLLBACK').catch(() => undefined);
    // Another instance installed them first, between the check and the script.
    if (!(await installed())) throw error;
  } finally {
    await runner.release();
  }
}
