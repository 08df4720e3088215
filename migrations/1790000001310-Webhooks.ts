import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Webhook endpoints and their delivery log (src/integrations/webhooks/), from
 * webhook-endpoint.entity.ts and webhook-delivery.entity.ts.
 */
export class Webhooks1790000001310 implements MigrationInterface {
  name = 'Webhooks1790000001310';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "webhook_endpoints" ("id" uuid NOT NULL, "circle_id" uuid NOT NULL, "url" character varying(2048) NOT NULL, "description" character varying(200), "event_types" character varying(64) array NOT NULL, "enabled" boolean NOT NULL, "disabled_reason" character varying(32), "secret" bytea NOT NULL, "previous_secret" bytea, "previous_secret_until" TIMESTAMP WITH TIME ZONE, "delivered_through" bigint NOT NULL DEFAULT '0', "attempt" integer NOT NULL DEFAULT '0', "next_attempt_at" TIMESTAMP WITH TIME ZONE, "failing_since" TIMESTAMP WITH TIME ZONE, "leased_until" TIMESTAMP WITH TIME ZONE, "created_by" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "ck_webhook_endpoints_delivered_through" CHECK (delivered_through >= 0), CONSTRAINT "ck_webhook_endpoints_attempt" CHECK (attempt >= 0), CONSTRAINT "ck_webhook_endpoints_event_types" CHECK (cardinality(event_types) >= 1), CONSTRAINT "pk_webhook_endpoints" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "idx_webhook_endpoints_circle" ON "webhook_endpoints"  ("circle_id", "created_at", "id") `);
    await queryRunner.query(`CREATE TABLE "webhook_deliveries" ("id" uuid NOT NULL, "endpoint_id" uuid NOT NULL, "circle_id" uuid NOT NULL, "event_id" uuid NOT NULL, "event_type" character varying(64) NOT NULL, "sequence" bigint, "kind" character varying(16) NOT NULL, "attempt" integer NOT NULL, "status" character varying(16) NOT NULL, "response_status" integer, "response_body" character varying(1024), "error" character varying(200), "duration_ms" integer NOT NULL, "attempted_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "ck_webhook_deliveries_status" CHECK (status IN ('delivered', 'failed')), CONSTRAINT "ck_webhook_deliveries_kind" CHECK (kind IN ('event', 'redelivery', 'ping')), CONSTRAINT "pk_webhook_deliveries" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "idx_webhook_deliveries_endpoint" ON "webhook_deliveries"  ("endpoint_id", "attempted_at", "id") `);
    await queryRunner.query(`ALTER TABLE "webhook_endpoints" ADD CONSTRAINT "fk_webhook_endpoints_circle" FOREIGN KEY ("circle_id") REFERENCES "circles"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "webhook_deliveries" ADD CONSTRAINT "fk_webhook_deliveries_endpoint" FOREIGN KEY ("endpoint_id") REFERENCES "webhook_endpoints"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "webhook_deliveries" DROP CONSTRAINT "fk_webhook_deliveries_endpoint"`);
    await queryRunner.query(`ALTER TABLE "webhook_endpoints" DROP CONSTRAINT "fk_webhook_endpoints_circle"`);
    await queryRunner.query(`DROP INDEX "public"."idx_webhook_deliveries_endpoint"`);
    await queryRunner.query(`DROP TABLE "webhook_deliveries"`);
    await queryRunner.query(`DROP INDEX "public"."idx_webhook_endpoints_circle"`);
    await queryRunner.query(`DROP TABLE "webhook_endpoints"`);
  }
}
