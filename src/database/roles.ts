import pg from 'pg';

/**
 * The two database roles arvut runs with (docs/security.md, "The database protects itself"):
 * the owner, which the migrations run as and which owns every table and function; and the
 * app role the API's connections use, which may only read and write rows (and not even
 * that on append-only tables) and call functions: no DDL, no TRUNCATE, no disabling
 * triggers, no `session_replication_role`, no superuser.
 */
export const OWNER_ROLE = 'arvut_owner';
export const APP_ROLE = 'arvut_app';

/** The URL `url` with other credentials. */
export function withCredentials(url: string, user: string, password: string): string {
  const u = new URL(url);
  u.username = encodeURIComponent(user);
  u.password = encodeURIComponent(password);
  return u.toString();
}

const quoteIdent = (name: string): string => `"${name.replace(/"/g, '""')}"`;
const quoteLiteral = (text: string): string => `'${text.replace(/'/g, "''")}'`;

/**
 * As a superuser (the embedded server's `postgres`, or the test cluster's): creates the
 * owner and app roles, or resets their passwords, makes the owner own `database` and its
 * `public` schema, and gives the app role the `pgboss` schema, where the job queue (pg-boss)
 * keeps and creates its own tables. Idempotent: every start runs it.
 */
export async function provisionRoles(superuserUrl: string, database: string, passwords: { owner: string; app: string }): Promise<void> {
  const admin = new pg.Client({ connectionString: superuserUrl });
  await admin.connect();
  try {
    // Roles belong to the whole cluster: two databases provisioned at once would race to create them.
    await admin.query('SELECT pg_advisory_lock(7253470003)');
    for (const [role, password] of [
      [OWNER_ROLE, passwords.owner],
      [APP_ROLE, passwords.app],
    ] as const) {
      const exists = (await admin.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [role])).rowCount === 1;
      const attributes = `LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS PASSWORD ${quoteLiteral(password)}`;
      await admin.query(`${exists ? 'ALTER' : 'CREATE'} ROLE ${quoteIdent(role)} WITH ${attributes}`);
    }
    await admin.query(`ALTER DATABASE ${quoteIdent(database)} OWNER TO ${quoteIdent(OWNER_ROLE)}`);
    await admin.query('SELECT pg_advisory_unlock(7253470003)');
  } finally {
    await admin.end();
  }
  const inDatabase = new pg.Client({ connectionString: withDatabase(superuserUrl, database) });
  await inDatabase.connect();
  try {
    await inDatabase.query(`ALTER SCHEMA public OWNER TO ${quoteIdent(OWNER_ROLE)}`);
    // A database migrated before the roles existed: its objects pass to the owner.
    await inDatabase.query(`DO $$
DECLARE r record;
BEGIN
  FOR r IN SELECT c.relname, c.relkind FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p', 'S', 'v', 'm') AND pg_get_userbyid(c.relowner) <> ${quoteLiteral(OWNER_ROLE)}
              AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = c.oid AND d.deptype IN ('a', 'i') AND c.relkind = 'S')
  LOOP
    EXECUTE format('ALTER %s public.%I OWNER TO ${OWNER_ROLE}', CASE r.relkind WHEN 'S' THEN 'SEQUENCE' WHEN 'v' THEN 'VIEW' WHEN 'm' THEN 'MATERIALIZED VIEW' ELSE 'TABLE' END, r.relname);
  END LOOP;
  FOR r IN SELECT p.oid::regprocedure AS sig FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
            WHERE n.nspname = 'public' AND pg_get_userbyid(p.proowner) <> ${quoteLiteral(OWNER_ROLE)}
              AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = p.oid AND d.deptype = 'e')
  LOOP
    EXECUTE format('ALTER ROUTINE %s OWNER TO ${OWNER_ROLE}', r.sig);
  END LOOP;
  FOR r IN SELECT t.typname FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
            WHERE n.nspname = 'public' AND t.typtype = 'e' AND pg_get_userbyid(t.typowner) <> ${quoteLiteral(OWNER_ROLE)}
              AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = t.oid AND d.deptype = 'e')
  LOOP
    EXECUTE format('ALTER TYPE public.%I OWNER TO ${OWNER_ROLE}', r.typname);
  END LOOP;
END $$`);
    await inDatabase.query(`REVOKE CREATE ON SCHEMA public FROM PUBLIC`);
    await inDatabase.query(`GRANT USAGE ON SCHEMA public TO ${quoteIdent(APP_ROLE)}`);
    await inDatabase.query(`CREATE SCHEMA IF NOT EXISTS pgboss AUTHORIZATION ${quoteIdent(APP_ROLE)}`);
  } finally {
    await inDatabase.end();
  }
}

function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

/**
 * As the role that ran the migrations, after them: what `appRole` may do on each table of
 * `public`. Append-only tables (those with an `…_append_only` guard trigger) get SELECT and
 * INSERT; tables that are never deleted from (`…_no_delete`) SELECT, INSERT and UPDATE;
 * the migrations' own table SELECT only; every other table SELECT, INSERT, UPDATE and DELETE.
 * TRUNCATE, TRIGGER and REFERENCES are never granted. Sequences: USAGE and SELECT, UPDATE.
 * Functions keep PostgreSQL's default EXECUTE for every role.
 */
export async function grantAppPrivileges(migrationUrl: string, appRole: string): Promise<void> {
  const client = new pg.Client({ connectionString: migrationUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ table: string; append_only: boolean; no_delete: boolean }>(
      `SELECT c.relname AS table,
              EXISTS (SELECT 1 FROM pg_trigger t WHERE t.tgrelid = c.oid AND t.tgname LIKE '%\\_append\\_only') AS append_only,
              EXISTS (SELECT 1 FROM pg_trigger t WHERE t.tgrelid = c.oid AND t.tgname LIKE '%\\_no\\_delete') AS no_delete
         FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p')`,
    );
    const role = quoteIdent(appRole);
    await client.query('BEGIN');
    for (const { table, append_only, no_delete } of rows) {
      const name = `public.${quoteIdent(table)}`;
      await client.query(`REVOKE ALL ON ${name} FROM ${role}`);
      // The API may see which migrations ran (an instance started with DATABASE_URL alone
      // checks that none is pending), never change that record.
      const privileges = table === 'schema_migrations' ? 'SELECT' : append_only ? 'SELECT, INSERT' : no_delete ? 'SELECT, INSERT, UPDATE' : 'SELECT, INSERT, UPDATE, DELETE';
      await client.query(`GRANT ${privileges} ON ${name} TO ${role}`);
    }
    await client.query(`GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA public TO ${role}`);
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    await client.end();
  }
}

/** What is wrong with the API's database role, as warnings for the start-up log. */
export async function appRoleWarnings(appUrl: string): Promise<string[]> {
  const client = new pg.Client({ connectionString: appUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ superuser: boolean; owns: number; bypass: boolean }>(
      `SELECT r.rolsuper AS superuser, r.rolbypassrls AS bypass,
              (SELECT count(*)::int FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                WHERE n.nspname = 'public' AND c.relowner = r.oid) AS owns
         FROM pg_roles r WHERE r.rolname = current_user`,
    );
    const warnings: string[] = [];
    const row = rows[0];
    if (row?.superuser) warnings.push('DATABASE_URL connects as a superuser: a flaw in the API could alter or drop anything; give the API a role of its own (docs/operations.md, "Database roles")');
    else if (row && row.owns > 0) warnings.push('DATABASE_URL connects as the owner of the tables: the API could disable the ledger\'s guards; give it a role that only reads and writes rows (docs/operations.md, "Database roles")');
    return warnings;
  } finally {
    await client.end();
  }
}

/** The role name in a postgres:// URL. */
export const roleOf = (url: string): string => decodeURIComponent(new URL(url).username);
