import type { MigrationInterface, QueryRunner } from 'typeorm';
import { appendOnly } from './support/append-only.js';

/**
 * Signed checkpoints of the receipt chains, the one table of the transparency
 * module. The table comes from src/transparency/receipts/receipt-checkpoint.entity.ts.
 */
// A signed statement is kept as signed: never changed, never removed.
const KEPT = appendOnly({ table: 'receipt_checkpoints', code: 'AR002', rule: 'a signed checkpoint is kept as signed' });

export class ReceiptCheckpoints1790000000810 implements MigrationInterface {
  name = 'ReceiptCheckpoints1790000000810';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "receipt_checkpoints" ("id" uuid NOT NULL, "circle_id" uuid NOT NULL, "seq" bigint NOT NULL, "hash" bytea NOT NULL, "signed_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL, "key_id" character varying(64) NOT NULL, "signature" bytea NOT NULL, CONSTRAINT "ck_receipt_checkpoints_signature" CHECK (octet_length(signature) = 64), CONSTRAINT "ck_receipt_checkpoints_hash" CHECK (octet_length(hash) = 32), CONSTRAINT "ck_receipt_checkpoints_seq" CHECK (seq >= 1), CONSTRAINT "pk_receipt_checkpoints" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "idx_receipt_checkpoints_circle_seq" ON "receipt_checkpoints"  ("circle_id", "seq") `);
    await queryRunner.query(`CREATE INDEX "idx_receipt_checkpoints_circle_signed" ON "receipt_checkpoints"  ("circle_id", "signed_at", "id") `);
    await queryRunner.query(`ALTER TABLE "receipt_checkpoints" ADD CONSTRAINT "fk_receipt_checkpoints_circle" FOREIGN KEY ("circle_id") REFERENCES "circles"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    for (const sql of KEPT.up) await queryRunner.query(sql);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const sql of KEPT.down) await queryRunner.query(sql);
    await queryRunner.query(`ALTER TABLE "receipt_checkpoints" DROP CONSTRAINT "fk_receipt_checkpoints_circle"`);
    await queryRunner.query(`DROP INDEX "public"."idx_receipt_checkpoints_circle_signed"`);
    await queryRunner.query(`DROP INDEX "public"."idx_receipt_checkpoints_circle_seq"`);
    await queryRunner.query(`DROP TABLE "receipt_checkpoints"`);
  }
}
