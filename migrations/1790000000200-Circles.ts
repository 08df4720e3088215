import type { MigrationInterface, QueryRunner } from 'typeorm';

export class Circles1790000000200 implements MigrationInterface {
  name = 'Circles1790000000200';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "circles" ("id" uuid NOT NULL, "name" character varying(100) NOT NULL, "currency" character(3) NOT NULL, "currency_exponent" smallint NOT NULL, "timezone" character varying(64) NOT NULL, "retention_days" integer NOT NULL DEFAULT '30', "show_recipient_aliases" boolean NOT NULL DEFAULT false, "receipt_visibility" character varying(16) NOT NULL DEFAULT 'members', "require_second_approval" boolean NOT NULL DEFAULT false, "version" integer NOT NULL DEFAULT '1', "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "ck_circles_retention_days" CHECK (retention_days BETWEEN 1 AND 3650), CONSTRAINT "ck_circles_currency_exponent" CHECK (currency_exponent BETWEEN 0 AND 4), CONSTRAINT "ck_circles_receipt_visibility" CHECK (receipt_visibility IN ('members', 'public')), CONSTRAINT "PK_8348b53fdd4f7b6c0b3a6a2f61f" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE TABLE "invites" ("id" uuid NOT NULL, "circle_id" uuid NOT NULL, "role" character varying(16) NOT NULL, "token_hash" character(64) NOT NULL, "created_by" uuid NOT NULL, "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL, "used_at" TIMESTAMP WITH TIME ZONE, "used_by" uuid, "revoked_at" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "ck_invites_role" CHECK (role IN ('organizer', 'treasurer', 'donor', 'member')), CONSTRAINT "PK_aa52e96b44a714372f4dd31a0af" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE UNIQUE INDEX "uq_invites_token_hash" ON "invites"  ("token_hash") `);
    await queryRunner.query(`CREATE INDEX "idx_invites_circle" ON "invites"  ("circle_id", "created_at") `);
    await queryRunner.query(`CREATE TABLE "memberships" ("circle_id" uuid NOT NULL, "user_id" uuid NOT NULL, "role" character varying(16) NOT NULL, "joined_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "ck_memberships_role" CHECK (role IN ('organizer', 'treasurer', 'donor', 'member')), CONSTRAINT "PK_b379e5f22100cd3a50f9e901eb7" PRIMARY KEY ("circle_id", "user_id"))`);
    await queryRunner.query(`CREATE INDEX "idx_memberships_user" ON "memberships"  ("user_id") `);
    await queryRunner.query(`ALTER TABLE "invites" ADD CONSTRAINT "fk_invites_circle" FOREIGN KEY ("circle_id") REFERENCES "circles"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "memberships" ADD CONSTRAINT "fk_memberships_user" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "memberships" ADD CONSTRAINT "fk_memberships_circle" FOREIGN KEY ("circle_id") REFERENCES "circles"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "memberships" DROP CONSTRAINT "fk_memberships_circle"`);
    await queryRunner.query(`ALTER TABLE "memberships" DROP CONSTRAINT "fk_memberships_user"`);
    await queryRunner.query(`ALTER TABLE "invites" DROP CONSTRAINT "fk_invites_circle"`);
    await queryRunner.query(`DROP INDEX "public"."idx_memberships_user"`);
    await queryRunner.query(`DROP TABLE "memberships"`);
    await queryRunner.query(`DROP INDEX "public"."idx_invites_circle"`);
    await queryRunner.query(`DROP INDEX "public"."uq_invites_token_hash"`);
    await queryRunner.query(`DROP TABLE "invites"`);
    await queryRunner.query(`DROP TABLE "circles"`);
  }
}
