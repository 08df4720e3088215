import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Files attached to requests, sealed in the vault (src/privacy/vault-attachment.entity.ts, docs/privacy.md). */
export class RequestAttachments1790000001410 implements MigrationInterface {
  name = 'RequestAttachments1790000001410';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "vault_attachments" ("id" uuid NOT NULL, "circle_id" uuid NOT NULL, "subject_id" uuid NOT NULL, "content_type" character varying(32) NOT NULL, "size_bytes" integer NOT NULL, "sealed" bytea NOT NULL, "wrapped_key" bytea NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "ck_vault_attachments_size" CHECK (size_bytes BETWEEN 1 AND 5242880), CONSTRAINT "ck_vault_attachments_type" CHECK (content_type IN ('image/jpeg', 'image/png', 'application/pdf')), CONSTRAINT "pk_vault_attachments" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "idx_vault_attachments_subject" ON "vault_attachments"  ("subject_id", "created_at") `);
    await queryRunner.query(`ALTER TABLE "vault_attachments" ADD CONSTRAINT "fk_vault_attachments_entry" FOREIGN KEY ("subject_id") REFERENCES "vault_entries"("recipient_id") ON DELETE CASCADE ON UPDATE NO ACTION`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "vault_attachments" DROP CONSTRAINT "fk_vault_attachments_entry"`);
    await queryRunner.query(`DROP INDEX "public"."idx_vault_attachments_subject"`);
    await queryRunner.query(`DROP TABLE "vault_attachments"`);
  }
}
