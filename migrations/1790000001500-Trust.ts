import type { MigrationInterface, QueryRunner } from 'typeorm';
import { refuseUpdateWhen } from './support/append-only.js';

/**
 * Trust across requests and circles (docs/trust.md): the duplicate checks' keyed digests
 * (deleted with their vault row), networks and their single-use join codes, "not the same
 * person" dismissals, official handles and alerts.
 */
// AR150: a network join code, once used, keeps who used it and when (single use).
const JOIN_CODE_USED_ONCE = refuseUpdateWhen('network_join_codes_used_once', 'network_join_codes', 'OLD.used_at IS NOT NULL', 'AR150', 'a join code is used once');

export class Trust1790000001500 implements MigrationInterface {
  name = 'Trust1790000001500';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "duplicate_digests" ("subject_id" uuid NOT NULL, "kind" character varying(8) NOT NULL, "digest" bytea NOT NULL, "circle_id" uuid NOT NULL, "key_id" character varying(32) NOT NULL, CONSTRAINT "ck_duplicate_digests_digest" CHECK (octet_length(digest) = 32), CONSTRAINT "ck_duplicate_digests_kind" CHECK (kind IN ('handle', 'phone', 'email')), CONSTRAINT "pk_duplicate_digests" PRIMARY KEY ("subject_id", "kind", "digest"))`);
    await queryRunner.query(`CREATE INDEX "idx_duplicate_digests_circle" ON "duplicate_digests"  ("circle_id") `);
    await queryRunner.query(`CREATE INDEX "idx_duplicate_digests_match" ON "duplicate_digests"  ("key_id", "kind", "digest") `);
    await queryRunner.query(`CREATE TABLE "circle_alerts" ("id" uuid NOT NULL, "circle_id" uuid NOT NULL, "severity" character varying(8) NOT NULL, "text" character varying(500) NOT NULL, "links_allowed" boolean NOT NULL DEFAULT false, "posted_by" uuid NOT NULL, "posted_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "ck_circle_alerts_expiry" CHECK (expires_at > posted_at), CONSTRAINT "ck_circle_alerts_text" CHECK (char_length(text) BETWEEN 1 AND 500), CONSTRAINT "ck_circle_alerts_severity" CHECK (severity IN ('info', 'warning', 'critical')), CONSTRAINT "pk_circle_alerts" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "idx_circle_alerts_circle_expiry" ON "circle_alerts"  ("circle_id", "expires_at") `);
    await queryRunner.query(`CREATE TABLE "duplicate_dismissals" ("subject_id" uuid NOT NULL, "other_subject_id" uuid NOT NULL, "circle_id" uuid NOT NULL, "other_circle_id" uuid NOT NULL, "dismissed_by" uuid NOT NULL, "dismissed_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "pk_duplicate_dismissals" PRIMARY KEY ("subject_id", "other_subject_id"))`);
    await queryRunner.query(`CREATE INDEX "idx_duplicate_dismissals_circles" ON "duplicate_dismissals"  ("circle_id", "other_circle_id") `);
    await queryRunner.query(`CREATE INDEX "idx_duplicate_dismissals_other" ON "duplicate_dismissals"  ("other_subject_id") `);
    await queryRunner.query(`CREATE TABLE "networks" ("id" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "pk_networks" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE TABLE "network_join_codes" ("id" uuid NOT NULL, "network_id" uuid NOT NULL, "code_hash" character(64) NOT NULL, "created_by_circle_id" uuid NOT NULL, "created_by" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL, "used_at" TIMESTAMP WITH TIME ZONE, "used_by_circle_id" uuid, CONSTRAINT "uq_network_join_codes_hash" UNIQUE ("code_hash"), CONSTRAINT "ck_network_join_codes_expiry" CHECK (expires_at > created_at), CONSTRAINT "ck_network_join_codes_used" CHECK ((used_at IS NULL) = (used_by_circle_id IS NULL)), CONSTRAINT "pk_network_join_codes" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE TABLE "network_members" ("circle_id" uuid NOT NULL, "network_id" uuid NOT NULL, "joined_by" uuid NOT NULL, "joined_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "pk_network_members" PRIMARY KEY ("circle_id"))`);
    await queryRunner.query(`CREATE INDEX "idx_network_members_network" ON "network_members"  ("network_id") `);
    await queryRunner.query(`CREATE TABLE "official_handles" ("id" uuid NOT NULL, "circle_id" uuid NOT NULL, "method" character varying(16) NOT NULL, "handle" character varying(100) NOT NULL, "normalized" character varying(100) NOT NULL, "added_by" uuid NOT NULL, "added_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "uq_official_handles_circle_handle" UNIQUE ("circle_id", "method", "normalized"), CONSTRAINT "ck_official_handles_handle" CHECK (char_length(handle) BETWEEN 1 AND 100 AND char_length(normalized) BETWEEN 1 AND 100), CONSTRAINT "ck_official_handles_method" CHECK (method IN ('cashapp', 'venmo', 'zelle', 'paypal', 'bank', 'other')), CONSTRAINT "pk_official_handles" PRIMARY KEY ("id"))`);
    await queryRunner.query(`ALTER TABLE "vault_entries" ADD "digest_key_id" character varying(32)`);
    await queryRunner.query(`ALTER TABLE "duplicate_digests" ADD CONSTRAINT "fk_duplicate_digests_circle" FOREIGN KEY ("circle_id") REFERENCES "circles"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "duplicate_digests" ADD CONSTRAINT "fk_duplicate_digests_vault" FOREIGN KEY ("subject_id") REFERENCES "vault_entries"("recipient_id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "circle_alerts" ADD CONSTRAINT "fk_circle_alerts_circle" FOREIGN KEY ("circle_id") REFERENCES "circles"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "duplicate_dismissals" ADD CONSTRAINT "fk_duplicate_dismissals_circle" FOREIGN KEY ("circle_id") REFERENCES "circles"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "duplicate_dismissals" ADD CONSTRAINT "fk_duplicate_dismissals_other" FOREIGN KEY ("other_subject_id") REFERENCES "vault_entries"("recipient_id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "duplicate_dismissals" ADD CONSTRAINT "fk_duplicate_dismissals_subject" FOREIGN KEY ("subject_id") REFERENCES "vault_entries"("recipient_id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "network_join_codes" ADD CONSTRAINT "fk_network_join_codes_network" FOREIGN KEY ("network_id") REFERENCES "networks"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "network_members" ADD CONSTRAINT "fk_network_members_circle" FOREIGN KEY ("circle_id") REFERENCES "circles"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "network_members" ADD CONSTRAINT "fk_network_members_network" FOREIGN KEY ("network_id") REFERENCES "networks"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "official_handles" ADD CONSTRAINT "fk_official_handles_circle" FOREIGN KEY ("circle_id") REFERENCES "circles"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    for (const statement of JOIN_CODE_USED_ONCE.up) await queryRunner.query(statement);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const statement of JOIN_CODE_USED_ONCE.down) await queryRunner.query(statement);
    await queryRunner.query(`ALTER TABLE "official_handles" DROP CONSTRAINT "fk_official_handles_circle"`);
    await queryRunner.query(`ALTER TABLE "network_members" DROP CONSTRAINT "fk_network_members_network"`);
    await queryRunner.query(`ALTER TABLE "network_members" DROP CONSTRAINT "fk_network_members_circle"`);
    await queryRunner.query(`ALTER TABLE "network_join_codes" DROP CONSTRAINT "fk_network_join_codes_network"`);
    await queryRunner.query(`ALTER TABLE "duplicate_dismissals" DROP CONSTRAINT "fk_duplicate_dismissals_subject"`);
    await queryRunner.query(`ALTER TABLE "duplicate_dismissals" DROP CONSTRAINT "fk_duplicate_dismissals_other"`);
    await queryRunner.query(`ALTER TABLE "duplicate_dismissals" DROP CONSTRAINT "fk_duplicate_dismissals_circle"`);
    await queryRunner.query(`ALTER TABLE "circle_alerts" DROP CONSTRAINT "fk_circle_alerts_circle"`);
    await queryRunner.query(`ALTER TABLE "duplicate_digests" DROP CONSTRAINT "fk_duplicate_digests_vault"`);
    await queryRunner.query(`ALTER TABLE "duplicate_digests" DROP CONSTRAINT "fk_duplicate_digests_circle"`);
    await queryRunner.query(`ALTER TABLE "vault_entries" DROP COLUMN "digest_key_id"`);
    await queryRunner.query(`DROP TABLE "official_handles"`);
    await queryRunner.query(`DROP INDEX "public"."idx_network_members_network"`);
    await queryRunner.query(`DROP TABLE "network_members"`);
    await queryRunner.query(`DROP TABLE "network_join_codes"`);
    await queryRunner.query(`DROP TABLE "networks"`);
    await queryRunner.query(`DROP INDEX "public"."idx_duplicate_dismissals_other"`);
    await queryRunner.query(`DROP INDEX "public"."idx_duplicate_dismissals_circles"`);
    await queryRunner.query(`DROP TABLE "duplicate_dismissals"`);
    await queryRunner.query(`DROP INDEX "public"."idx_circle_alerts_circle_expiry"`);
    await queryRunner.query(`DROP TABLE "circle_alerts"`);
    await queryRunner.query(`DROP INDEX "public"."idx_duplicate_digests_match"`);
    await queryRunner.query(`DROP INDEX "public"."idx_duplicate_digests_circle"`);
    await queryRunner.query(`DROP TABLE "duplicate_digests"`);
  }
}
