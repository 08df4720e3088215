import type { MigrationInterface, QueryRunner } from 'typeorm';
import { GUARDS_UP as REQUEST_GUARDS } from './1790000001400-Requests.js';

/**
 * One definition of the money approved grants hold back from the pool (docs/grants.md,
 * "The pool is promised once"): `grant_reserved(circle)` is read by the approval guard
 * (requests_guard, AR144), by `GET …/grant-funds` and by a cycle's coverage, so what the
 * coverage says the pool can still pay for and what an approval may still take are the same
 * figure: the pool less `grant_reserved`.
 */
const RESERVED_FUNCTION = `CREATE FUNCTION grant_reserved(p_circle uuid, p_except uuid DEFAULT NULL) RETURNS bigint
  LANGUAGE sql STABLE AS $$
  SELECT coalesce(sum(r.amount_granted), 0)::bigint FROM requests r
   WHERE r.circle_id = p_circle AND r.kind = 'grant' AND r.status = 'approved'
     AND (p_except IS NULL OR r.id <> p_except)
$$`;

const OLD_RESERVED = `    SELECT coalesce(sum(r.amount_granted), 0) INTO v_reserved FROM requests r
     WHERE r.circle_id = NEW.circle_id AND r.id <> NEW.id AND r.kind = 'grant' AND r.status = 'approved';`;
const NEW_RESERVED = `    v_reserved := grant_reserved(NEW.circle_id, NEW.id);`;

/** requests_guard as migration 1790000001400 wrote it, ready to be replaced. */
function guardFunction(): string {
  const found = REQUEST_GUARDS.find((sql) => sql.includes('FUNCTION requests_guard()'));
  if (!found || !found.includes(OLD_RESERVED)) throw new Error('migrations/1790000001400-Requests.ts no longer defines requests_guard as this migration expects');
  return found.replace(/^CREATE FUNCTION/, 'CREATE OR REPLACE FUNCTION');
}

/** requests_guard as this migration leaves it, for later migrations to edit or to restore. */
export function guardWithReservations(): string {
  return guardFunction().replace(OLD_RESERVED, () => NEW_RESERVED);
}

export class GrantReservations1790000001420 implements MigrationInterface {
  name = 'GrantReservations1790000001420';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(RESERVED_FUNCTION);
    await queryRunner.query(guardWithReservations());
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(guardFunction());
    await queryRunner.query('DROP FUNCTION grant_reserved(uuid, uuid)');
  }
}
