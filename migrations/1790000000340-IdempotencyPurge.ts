import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Removes idempotency keys past their expiry (kept at least 24 h: docs/idempotency.md), in
 * batches so a scheduled job never holds long locks. Returns how many rows went.
 */
const PURGE = `CREATE FUNCTION idempotency_purge(p_batch integer DEFAULT 10000) RETURNS integer LANGUAGE sql AS $$
  WITH gone AS (
    DELETE FROM idempotency_keys k
     WHERE (k.principal_id, k.key) IN (
       SELECT x.principal_id, x.key FROM idempotency_keys x WHERE x.expires_at <= now() LIMIT p_batch)
    RETURNING 1)
  SELECT count(*)::integer FROM gone
$$`;

export class IdempotencyPurge1790000000340 implements MigrationInterface {
  name = 'IdempotencyPurge1790000000340';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(PURGE);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP FUNCTION idempotency_purge(integer)');
  }
}
