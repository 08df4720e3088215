import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Ledger accounts, transfers and entries, and idempotency keys (generated from the entities). */
export class Ledger1790000000310 implements MigrationInterface {
  name = 'Ledger1790000000310';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "ledger_accounts" ("id" uuid NOT NULL, "circle_id" uuid NOT NULL, "kind" text NOT NULL, "currency" character(3) NOT NULL, "debit_total" bigint NOT NULL DEFAULT '0', "credit_total" bigint NOT NULL DEFAULT '0', "version" bigint NOT NULL DEFAULT '0', "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "uq_ledger_accounts_id_circle" UNIQUE ("id", "circle_id"), CONSTRAINT "uq_ledger_accounts_circle_kind" UNIQUE ("circle_id", "kind"), CONSTRAINT "ck_ledger_accounts_pool_not_negative" CHECK (kind <> 'pool' OR debit_total >= credit_total), CONSTRAINT "ck_ledger_accounts_totals_not_negative" CHECK (debit_total >= 0 AND credit_total >= 0 AND version >= 0), CONSTRAINT "ck_ledger_accounts_kind" CHECK (kind IN ('pool', 'clearing', 'contributions', 'payouts', 'fees', 'adjustments')), CONSTRAINT "pk_ledger_accounts" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE TABLE "ledger_transfers" ("id" uuid NOT NULL, "circle_id" uuid NOT NULL, "kind" text NOT NULL, "memo" character varying(140), "reverses" uuid, "metadata" jsonb NOT NULL DEFAULT '{}', "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "uq_ledger_transfers_reverses" UNIQUE ("reverses"), CONSTRAINT "uq_ledger_transfers_id_circle" UNIQUE ("id", "circle_id"), CONSTRAINT "ck_ledger_transfers_metadata" CHECK (jsonb_typeof(metadata) = 'object'), CONSTRAINT "ck_ledger_transfers_kind" CHECK (kind ~ '^[a-z][a-z_]{1,39}$'), CONSTRAINT "ck_ledger_transfers_not_self_reversal" CHECK (reverses <> id), CONSTRAINT "pk_ledger_transfers" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "idx_ledger_transfers_circle_created" ON "ledger_transfers"  ("circle_id", "created_at", "id") `);
    await queryRunner.query(`CREATE TABLE "ledger_entries" ("transfer_id" uuid NOT NULL, "account_id" uuid NOT NULL, "circle_id" uuid NOT NULL, "amount" bigint NOT NULL, "account_version" bigint NOT NULL, "balance_after" bigint NOT NULL, CONSTRAINT "uq_ledger_entries_account_version" UNIQUE ("account_id", "account_version"), CONSTRAINT "ck_ledger_entries_version_positive" CHECK (account_version > 0), CONSTRAINT "ck_ledger_entries_amount_not_zero" CHECK (amount <> 0), CONSTRAINT "pk_ledger_entries" PRIMARY KEY ("transfer_id", "account_id"))`);
    await queryRunner.query(`CREATE TABLE "idempotency_keys" ("principal_id" uuid NOT NULL, "key" character varying(255) NOT NULL, "request_hash" character(64) NOT NULL, "response_status" smallint NOT NULL, "response_body" text NOT NULL, "response_location" text, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "ck_idempotency_keys_key" CHECK (key ~ '^[ -~]{1,255}$'), CONSTRAINT "pk_idempotency_keys" PRIMARY KEY ("principal_id", "key"))`);
    await queryRunner.query(`CREATE INDEX "idx_idempotency_keys_expires_at" ON "idempotency_keys"  ("expires_at") `);
    await queryRunner.query(`ALTER TABLE "ledger_accounts" ADD CONSTRAINT "fk_ledger_accounts_circle" FOREIGN KEY ("circle_id") REFERENCES "circles"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "ledger_transfers" ADD CONSTRAINT "fk_ledger_transfers_reverses" FOREIGN KEY ("reverses", "circle_id") REFERENCES "ledger_transfers"("id","circle_id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "ledger_entries" ADD CONSTRAINT "fk_ledger_entries_account" FOREIGN KEY ("account_id", "circle_id") REFERENCES "ledger_accounts"("id","circle_id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "ledger_entries" ADD CONSTRAINT "fk_ledger_entries_transfer" FOREIGN KEY ("transfer_id", "circle_id") REFERENCES "ledger_transfers"("id","circle_id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "ledger_entries" DROP CONSTRAINT "fk_ledger_entries_transfer"`);
    await queryRunner.query(`ALTER TABLE "ledger_entries" DROP CONSTRAINT "fk_ledger_entries_account"`);
    await queryRunner.query(`ALTER TABLE "ledger_transfers" DROP CONSTRAINT "fk_ledger_transfers_reverses"`);
    await queryRunner.query(`ALTER TABLE "ledger_accounts" DROP CONSTRAINT "fk_ledger_accounts_circle"`);
    await queryRunner.query(`DROP INDEX "public"."idx_idempotency_keys_expires_at"`);
    await queryRunner.query(`DROP TABLE "idempotency_keys"`);
    await queryRunner.query(`DROP TABLE "ledger_entries"`);
    await queryRunner.query(`DROP INDEX "public"."idx_ledger_transfers_circle_created"`);
    await queryRunner.query(`DROP TABLE "ledger_transfers"`);
    await queryRunner.query(`DROP TABLE "ledger_accounts"`);
  }
}
