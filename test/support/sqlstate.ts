import type pg from 'pg';

/** The SQLSTATE of a database error, from node-pg (`code`) or TypeORM (`driverError.code`). */
export function sqlState(error: unknown): string | undefined {
  const e = error as { code?: unknown; driverError?: { code?: unknown } } | null | undefined;
  const code = e?.driverError?.code ?? e?.code;
  return typeof code === 'string' ? code : undefined;
}

/**
 * Runs `statements` in one transaction on a client of `pool` and returns the SQLSTATE it
 * failed with, or undefined when it committed. An error without a SQLSTATE is thrown on.
 */
export async function sqlStateOf(pool: pg.Pool, ...statements: [string, unknown[]?][]): Promise<string | undefined> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    for (const [text, params] of statements) await client.query(text, params);
    await client.query('COMMIT');
    return undefined;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    const code = sqlState(error);
    if (code === undefined) throw error;
    return code;
  } finally {
    client.release();
  }
}
