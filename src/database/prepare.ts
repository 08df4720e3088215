import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runMigrations } from './migrate.js';
import { APP_ROLE, appRoleWarnings, grantAppPrivileges, OWNER_ROLE, provisionRoles, roleOf, withCredentials } from './roles.js';

export interface PreparedDatabase {
  /** What the API connects with: the app role's URL. */
  appUrl: string;
  /** Migrations applied by this start. */
  applied: string[];
  /** Things an operator should fix, for the start-up log. */
  warnings: string[];
}

/**
 * An embedded server's database, given its superuser URL: the owner and app roles (their
 * passwords generated once and kept in `${dataDir}/pg-roles.json`), the migrations run as
 * the owner, the app role's privileges granted.
 */
export async function prepareEmbeddedDatabase(superuserUrl: string, dataDir: string): Promise<PreparedDatabase> {
  const file = join(dataDir, 'pg-roles.json');
  if (!existsSync(file)) writeFileSync(file, JSON.stringify({ owner: randomBytes(24).toString('base64url'), app: randomBytes(24).toString('base64url') }), { mode: 0o600 });
  const passwords = JSON.parse(readFileSync(file, 'utf8')) as { owner: string; app: string };
  await provisionRoles(superuserUrl, new URL(superuserUrl).pathname.slice(1), passwords);
  const ownerUrl = withCredentials(superuserUrl, OWNER_ROLE, passwords.owner);
  const applied = await runMigrations(ownerUrl);
  await grantAppPrivileges(ownerUrl, APP_ROLE);
  return { appUrl: withCredentials(superuserUrl, APP_ROLE, passwords.app), applied, warnings: [] };
}

/**
 * An external database: migrations run with `migrationUrl` (MIGRATION_DATABASE_URL, else
 * DATABASE_URL itself); when that is another role than the API's, the API's role is
 * granted what it needs. Warns when the API's role could do more than that.
 */
export async function prepareExternalDatabase(appUrl: string, migrationUrl: string): Promise<PreparedDatabase> {
  let applied: string[];
  try {
    applied = await runMigrations(migrationUrl);
  } catch (error) {
    if ((error as { code?: string }).code !== '42501' && (error as { driverError?: { code?: string } }).driverError?.code !== '42501') throw error;
    // An app role that may not change the schema, started with migrations still to apply.
    throw new Error(`the role of ${migrationUrl === appUrl ? 'DATABASE_URL' : 'MIGRATION_DATABASE_URL'} may not apply the pending migrations: set MIGRATION_DATABASE_URL to the tables' owner (docs/operations.md, "Database roles")`, { cause: error });
  }
  if (roleOf(migrationUrl) !== roleOf(appUrl)) await grantAppPrivileges(migrationUrl, roleOf(appUrl));
  return { appUrl, applied, warnings: await appRoleWarnings(appUrl) };
}
