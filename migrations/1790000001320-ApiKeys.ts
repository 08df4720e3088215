import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Circle-scoped API keys (src/circles/api-key.entity.ts). */
export class ApiKeys1790000001320 implements MigrationInterface {
  name = 'ApiKeys1790000001320';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "api_keys" ("id" uuid NOT NULL, "circle_id" uuid NOT NULL, "name" character varying(100) NOT NULL, "role" character varying(16) NOT NULL, "prefix" character varying(16) NOT NULL, "secret_hash" bytea NOT NULL, "created_by" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "last_used_at" TIMESTAMP WITH TIME ZONE, "revoked_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "ck_api_keys_secret_hash" CHECK (octet_length(secret_hash) = 32), CONSTRAINT "ck_api_keys_role" CHECK (role IN ('treasurer', 'donor', 'member')), CONSTRAINT "pk_api_keys" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "idx_api_keys_circle" ON "api_keys"  ("circle_id", "created_at", "id") `);
    await queryRunner.query(`CREATE UNIQUE INDEX "uq_api_keys_secret_hash" ON "api_keys"  ("secret_hash") `);
    await queryRunner.query(`ALTER TABLE "api_keys" ADD CONSTRAINT "fk_api_keys_circle" FOREIGN KEY ("circle_id") REFERENCES "circles"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "api_keys" DROP CONSTRAINT "fk_api_keys_circle"`);
    await queryRunner.query(`DROP INDEX "public"."uq_api_keys_secret_hash"`);
    await queryRunner.query(`DROP INDEX "public"."idx_api_keys_circle"`);
    await queryRunner.query(`DROP TABLE "api_keys"`);
  }
}
