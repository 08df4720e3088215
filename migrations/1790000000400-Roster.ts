import type { MigrationInterface, QueryRunner } from 'typeorm';
import { appendOnly } from './support/append-only.js';

/**
 * The privacy vault (vault_entries, vault_reads) and the roster (recipients and their
 * status history). TypeORM does not model triggers: the history's append-only guard is
 * the hand-written SQL at the end of up().
 */
// docs/design.md "State machines": every transition is recorded in an append-only history.
const HISTORY_GUARD = appendOnly({ table: 'recipient_status_history', code: 'AR101', rule: 'the status history is append-only' });

export class Roster1790000000400 implements MigrationInterface {
  name = 'Roster1790000000400';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "vault_entries" ("recipient_id" uuid NOT NULL, "circle_id" uuid NOT NULL, "contact" bytea, "payout_handle" bytea, "note" bytea, "wrapped_key" bytea NOT NULL, "key_id" character varying(32) NOT NULL, "key_version" smallint NOT NULL DEFAULT '1', "exited_at" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "ck_vault_entries_key_version" CHECK (key_version >= 1), CONSTRAINT "pk_vault_entries" PRIMARY KEY ("recipient_id"))`);
    await queryRunner.query(`CREATE INDEX "idx_vault_entries_exited" ON "vault_entries"  ("exited_at") `);
    await queryRunner.query(`CREATE INDEX "idx_vault_entries_circle" ON "vault_entries"  ("circle_id") `);
    await queryRunner.query(`CREATE TABLE "vault_reads" ("id" uuid NOT NULL, "circle_id" uuid NOT NULL, "recipient_id" uuid NOT NULL, "read_by" uuid NOT NULL, "read_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "pk_vault_reads" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "idx_vault_reads_recipient" ON "vault_reads"  ("circle_id", "recipient_id", "read_at", "id") `);
    await queryRunner.query(`CREATE TABLE "recipients" ("id" uuid NOT NULL, "circle_id" uuid NOT NULL, "alias" character varying(40) NOT NULL, "status" character varying(16) NOT NULL, "queue_key" BIGSERIAL NOT NULL, "waitlisted_at" TIMESTAMP WITH TIME ZONE, "offered_at" TIMESTAMP WITH TIME ZONE, "offered_until" TIMESTAMP WITH TIME ZONE, "activated_at" TIMESTAMP WITH TIME ZONE, "paused_at" TIMESTAMP WITH TIME ZONE, "exited_at" TIMESTAMP WITH TIME ZONE, "exit_reason" character varying(16), "status_changed_at" TIMESTAMP WITH TIME ZONE NOT NULL, "erased_at" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "ck_recipients_alias" CHECK (char_length(alias) BETWEEN 1 AND 40), CONSTRAINT "ck_recipients_offered" CHECK ((status = 'offered') = (offered_until IS NOT NULL)), CONSTRAINT "ck_recipients_exited" CHECK ((status = 'exited') = (exit_reason IS NOT NULL AND exited_at IS NOT NULL)), CONSTRAINT "ck_recipients_exit_reason" CHECK (exit_reason IS NULL OR exit_reason IN ('employed', 'moved', 'self_withdrew', 'no_response', 'other')), CONSTRAINT "ck_recipients_status" CHECK (status IN ('waitlisted', 'offered', 'active', 'paused', 'exited')), CONSTRAINT "pk_recipients" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "idx_recipients_status_offered_until" ON "recipients"  ("status", "offered_until") `);
    await queryRunner.query(`CREATE INDEX "idx_recipients_circle_created" ON "recipients"  ("circle_id", "created_at", "id") `);
    await queryRunner.query(`CREATE INDEX "idx_recipients_circle_status_queue" ON "recipients"  ("circle_id", "status", "queue_key") `);
    await queryRunner.query(`CREATE TABLE "recipient_status_history" ("id" uuid NOT NULL, "recipient_id" uuid NOT NULL, "circle_id" uuid NOT NULL, "from_status" character varying(16), "to_status" character varying(16) NOT NULL, "by_user_id" uuid, "at" TIMESTAMP WITH TIME ZONE NOT NULL, "reason" character varying(32), CONSTRAINT "ck_recipient_status_history_reason" CHECK (reason IS NULL OR reason IN ('employed', 'moved', 'self_withdrew', 'no_response', 'other', 'added', 'offer_declined', 'offer_expired', 'slot_freed', 'cycle_activation')), CONSTRAINT "ck_recipient_status_history_from" CHECK (from_status IS NULL OR from_status IN ('waitlisted', 'offered', 'active', 'paused', 'exited')), CONSTRAINT "ck_recipient_status_history_to" CHECK (to_status IN ('waitlisted', 'offered', 'active', 'paused', 'exited')), CONSTRAINT "pk_recipient_status_history" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "idx_recipient_status_history_circle" ON "recipient_status_history"  ("circle_id", "at") `);
    await queryRunner.query(`CREATE INDEX "idx_recipient_status_history_recipient" ON "recipient_status_history"  ("recipient_id", "at") `);
    await queryRunner.query(`ALTER TABLE "vault_entries" ADD CONSTRAINT "fk_vault_entries_circle" FOREIGN KEY ("circle_id") REFERENCES "circles"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "vault_reads" ADD CONSTRAINT "fk_vault_reads_circle" FOREIGN KEY ("circle_id") REFERENCES "circles"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "recipients" ADD CONSTRAINT "fk_recipients_circle" FOREIGN KEY ("circle_id") REFERENCES "circles"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "recipient_status_history" ADD CONSTRAINT "fk_recipient_status_history_recipient" FOREIGN KEY ("recipient_id") REFERENCES "recipients"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "recipient_status_history" ADD CONSTRAINT "fk_recipient_status_history_circle" FOREIGN KEY ("circle_id") REFERENCES "circles"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    for (const sql of HISTORY_GUARD.up) await queryRunner.query(sql);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const sql of HISTORY_GUARD.down) await queryRunner.query(sql);
    await queryRunner.query(`ALTER TABLE "recipient_status_history" DROP CONSTRAINT "fk_recipient_status_history_circle"`);
    await queryRunner.query(`ALTER TABLE "recipient_status_history" DROP CONSTRAINT "fk_recipient_status_history_recipient"`);
    await queryRunner.query(`ALTER TABLE "recipients" DROP CONSTRAINT "fk_recipients_circle"`);
    await queryRunner.query(`ALTER TABLE "vault_reads" DROP CONSTRAINT "fk_vault_reads_circle"`);
    await queryRunner.query(`ALTER TABLE "vault_entries" DROP CONSTRAINT "fk_vault_entries_circle"`);
    await queryRunner.query(`DROP INDEX "public"."idx_recipient_status_history_recipient"`);
    await queryRunner.query(`DROP INDEX "public"."idx_recipient_status_history_circle"`);
    await queryRunner.query(`DROP TABLE "recipient_status_history"`);
    await queryRunner.query(`DROP INDEX "public"."idx_recipients_circle_status_queue"`);
    await queryRunner.query(`DROP INDEX "public"."idx_recipients_circle_created"`);
    await queryRunner.query(`DROP INDEX "public"."idx_recipients_status_offered_until"`);
    await queryRunner.query(`DROP TABLE "recipients"`);
    await queryRunner.query(`DROP INDEX "public"."idx_vault_reads_recipient"`);
    await queryRunner.query(`DROP TABLE "vault_reads"`);
    await queryRunner.query(`DROP INDEX "public"."idx_vault_entries_circle"`);
    await queryRunner.query(`DROP INDEX "public"."idx_vault_entries_exited"`);
    await queryRunner.query(`DROP TABLE "vault_entries"`);
  }
}
