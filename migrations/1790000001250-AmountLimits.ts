import type { MigrationInterface, QueryRunner } from 'typeorm';
import { appendOnly, refuseUpdateWhen } from './support/append-only.js';

/** The guards of the pending adjustments (src/ledger/pending/pending-adjustment.entity.ts). */
const GUARDS = [
  appendOnly({ table: 'pending_adjustment_history', code: 'AR010', rule: 'the history is append-only' }),
  appendOnly({ table: 'pending_adjustments', code: 'AR010', rule: 'a pending adjustment is decided, never removed', updatable: true }),
  refuseUpdateWhen(
    'pending_adjustments_final',
    'pending_adjustments',
    `OLD.status <> 'pending' OR NEW.amount <> OLD.amount OR NEW.direction <> OLD.direction OR NEW.requested_by <> OLD.requested_by OR NEW.circle_id <> OLD.circle_id OR NEW.memo IS DISTINCT FROM OLD.memo`,
    'AR010',
    'a decided adjustment is final and the figures of a pending one never change',
  ),
];

/**
 * Amount limits (docs/ledger.md, "Amount limits"): a circle's largest single adjustment or
 * contribution, account totals bounded by 2^53 − 1 so no sequence of postings overflows
 * them, and the adjustments above the limit that wait for a second person.
 */
export class AmountLimits1790000001250 implements MigrationInterface {
  name = 'AmountLimits1790000001250';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "pending_adjustments" ("id" uuid NOT NULL, "circle_id" uuid NOT NULL, "direction" character varying(3) NOT NULL, "amount" bigint NOT NULL, "memo" character varying(140), "status" character varying(16) NOT NULL DEFAULT 'pending', "requested_by" uuid NOT NULL, "decided_by" uuid, "transfer_id" uuid, "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), "decided_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "uq_pending_adjustments_id_circle" UNIQUE ("id", "circle_id"), CONSTRAINT "ck_pending_adjustments_second_person" CHECK (status <> 'approved' OR decided_by <> requested_by), CONSTRAINT "ck_pending_adjustments_posted" CHECK ((status = 'approved') = (transfer_id IS NOT NULL)), CONSTRAINT "ck_pending_adjustments_decided" CHECK ((status = 'pending') = (decided_by IS NULL)), CONSTRAINT "ck_pending_adjustments_amount" CHECK (amount BETWEEN 1 AND 9007199254740991), CONSTRAINT "ck_pending_adjustments_direction" CHECK (direction IN ('in', 'out')), CONSTRAINT "ck_pending_adjustments_status" CHECK (status IN ('pending', 'approved', 'rejected')), CONSTRAINT "pk_pending_adjustments" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "idx_pending_adjustments_circle" ON "pending_adjustments"  ("circle_id", "created_at", "id") `);
    await queryRunner.query(`CREATE TABLE "pending_adjustment_history" ("id" bigint GENERATED ALWAYS AS IDENTITY NOT NULL, "circle_id" uuid NOT NULL, "pending_adjustment_id" uuid NOT NULL, "from_status" character varying(16), "to_status" character varying(16) NOT NULL, "actor" character varying(16) NOT NULL, "actor_user_id" uuid, "at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "ck_pending_adjustment_history_actor" CHECK (actor IN ('user', 'link', 'provider', 'job')), CONSTRAINT "ck_pending_adjustment_history_user_actor" CHECK ((actor = 'user') = (actor_user_id IS NOT NULL)), CONSTRAINT "ck_pending_adjustment_history_to_status" CHECK (to_status IN ('pending', 'approved', 'rejected')), CONSTRAINT "pk_pending_adjustment_history" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "idx_pending_adjustment_history_adjustment" ON "pending_adjustment_history"  ("pending_adjustment_id", "id") `);
    await queryRunner.query(`ALTER TABLE "circles" ADD "max_single_amount" bigint`);
    await queryRunner.query(`ALTER TABLE "circles" ADD CONSTRAINT "ck_circles_max_single_amount" CHECK (max_single_amount IS NULL OR max_single_amount BETWEEN 1 AND 9007199254740991)`);
    await queryRunner.query(`ALTER TABLE "ledger_accounts" ADD CONSTRAINT "ck_ledger_accounts_totals_bounded" CHECK (debit_total <= 9007199254740991 AND credit_total <= 9007199254740991)`);
    await queryRunner.query(`ALTER TABLE "pending_adjustments" ADD CONSTRAINT "fk_pending_adjustments_circle" FOREIGN KEY ("circle_id") REFERENCES "circles"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "pending_adjustments" ADD CONSTRAINT "fk_pending_adjustments_transfer" FOREIGN KEY ("transfer_id") REFERENCES "ledger_transfers"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "pending_adjustment_history" ADD CONSTRAINT "fk_pending_adjustment_history_adjustment" FOREIGN KEY ("pending_adjustment_id", "circle_id") REFERENCES "pending_adjustments"("id","circle_id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    for (const guard of GUARDS) for (const statement of guard.up) await queryRunner.query(statement);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const guard of [...GUARDS].reverse()) for (const statement of guard.down) await queryRunner.query(statement);
    await queryRunner.query(`ALTER TABLE "pending_adjustment_history" DROP CONSTRAINT "fk_pending_adjustment_history_adjustment"`);
    await queryRunner.query(`ALTER TABLE "pending_adjustments" DROP CONSTRAINT "fk_pending_adjustments_transfer"`);
    await queryRunner.query(`ALTER TABLE "pending_adjustments" DROP CONSTRAINT "fk_pending_adjustments_circle"`);
    await queryRunner.query(`ALTER TABLE "ledger_accounts" DROP CONSTRAINT "ck_ledger_accounts_totals_bounded"`);
    await queryRunner.query(`ALTER TABLE "circles" DROP CONSTRAINT "ck_circles_max_single_amount"`);
    await queryRunner.query(`ALTER TABLE "circles" DROP COLUMN "max_single_amount"`);
    await queryRunner.query(`DROP INDEX "public"."idx_pending_adjustment_history_adjustment"`);
    await queryRunner.query(`DROP TABLE "pending_adjustment_history"`);
    await queryRunner.query(`DROP INDEX "public"."idx_pending_adjustments_circle"`);
    await queryRunner.query(`DROP TABLE "pending_adjustments"`);
  }
}
