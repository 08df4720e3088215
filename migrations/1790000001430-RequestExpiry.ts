import type { MigrationInterface, QueryRunner } from 'typeorm';
import { guardWithReservations } from './1790000001420-GrantReservations.js';

/**
 * Undecided requests do not keep people's data forever (docs/grants.md, "Expiry"; docs/privacy.md):
 * a circle sets how many days an undecided request may go without activity
 * (`undecided_retention_days`, 14–365, default 90); then the `request-expiry` job moves it to
 * `expired` — a new final state, reached only from `submitted` or `in_review` — and deletes its
 * vault row and files. The entities (src/requests/*.entity.ts) declare the same checks.
 */
const STATUSES_BEFORE = `'submitted', 'in_review', 'approved', 'paid', 'acknowledged', 'declined', 'withdrawn', 'cancelled', 'returned'`;
const STATUSES_AFTER = `${STATUSES_BEFORE}, 'expired'`;

const WITHDRAWN_PAIRS = `('submitted', 'withdrawn'), ('in_review', 'withdrawn'),`;

/** requests_guard with the two moves into `expired` allowed; every other rule as before. */
function guardWithExpiry(): string {
  const before = guardWithReservations();
  if (!before.includes(WITHDRAWN_PAIRS)) throw new Error('requests_guard no longer lists its moves as this migration expects');
  return before.replace(WITHDRAWN_PAIRS, () => `${WITHDRAWN_PAIRS} ('submitted', 'expired'), ('in_review', 'expired'),`);
}

export class RequestExpiry1790000001430 implements MigrationInterface {
  name = 'RequestExpiry1790000001430';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "request_settings" ADD "undecided_retention_days" integer NOT NULL DEFAULT 90`);
    await queryRunner.query(`ALTER TABLE "request_settings" ADD CONSTRAINT "ck_request_settings_undecided_retention" CHECK (undecided_retention_days BETWEEN 14 AND 365)`);
    await queryRunner.query(`ALTER TABLE "requests" DROP CONSTRAINT "ck_requests_status"`);
    await queryRunner.query(`ALTER TABLE "requests" ADD CONSTRAINT "ck_requests_status" CHECK (status IN (${STATUSES_AFTER}))`);
    await queryRunner.query(`ALTER TABLE "request_history" DROP CONSTRAINT "ck_request_history_to_status"`);
    await queryRunner.query(`ALTER TABLE "request_history" ADD CONSTRAINT "ck_request_history_to_status" CHECK (to_status IN (${STATUSES_AFTER}))`);
    await queryRunner.query(guardWithExpiry());
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(guardWithReservations());
    await queryRunner.query(`ALTER TABLE "request_history" DROP CONSTRAINT "ck_request_history_to_status"`);
    await queryRunner.query(`ALTER TABLE "request_history" ADD CONSTRAINT "ck_request_history_to_status" CHECK (to_status IN (${STATUSES_BEFORE}))`);
    await queryRunner.query(`ALTER TABLE "requests" DROP CONSTRAINT "ck_requests_status"`);
    await queryRunner.query(`ALTER TABLE "requests" ADD CONSTRAINT "ck_requests_status" CHECK (status IN (${STATUSES_BEFORE}))`);
    await queryRunner.query(`ALTER TABLE "request_settings" DROP CONSTRAINT "ck_request_settings_undecided_retention"`);
    await queryRunner.query(`ALTER TABLE "request_settings" DROP COLUMN "undecided_retention_days"`);
  }
}
