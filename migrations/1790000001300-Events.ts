import type { MigrationInterface, QueryRunner } from 'typeorm';
import { appendOnly } from './support/append-only.js';

/**
 * The outbox of domain events (src/events/): outbox_events from outbox-event.entity.ts, and
 * outbox_heads, the per-circle sequence counter, from outbox-head.entity.ts.
 */
// Integrators have seen what was emitted: an event is never changed or taken back.
const KEPT = appendOnly({ table: 'outbox_events', code: 'AR130', rule: 'an emitted event is never changed or taken back' });

export class Events1790000001300 implements MigrationInterface {
  name = 'Events1790000001300';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query("CREATE TABLE \"outbox_events\" (\"id\" uuid NOT NULL, \"circle_id\" uuid NOT NULL, \"sequence\" bigint NOT NULL, \"type\" character varying(64) NOT NULL, \"data\" jsonb NOT NULL, \"occurred_at\" TIMESTAMP(3) WITH TIME ZONE NOT NULL, CONSTRAINT \"uq_outbox_events_circle_sequence\" UNIQUE (\"circle_id\", \"sequence\"), CONSTRAINT \"ck_outbox_events_type\" CHECK (type ~ '^[a-z_]+\\.[a-z_]+$'), CONSTRAINT \"ck_outbox_events_sequence\" CHECK (sequence >= 1), CONSTRAINT \"pk_outbox_events\" PRIMARY KEY (\"id\"))");
    await queryRunner.query(`CREATE TABLE "outbox_heads" ("circle_id" uuid NOT NULL, "sequence" bigint NOT NULL, CONSTRAINT "ck_outbox_heads_sequence" CHECK (sequence >= 1), CONSTRAINT "pk_outbox_heads" PRIMARY KEY ("circle_id"))`);
    await queryRunner.query(`ALTER TABLE "outbox_events" ADD CONSTRAINT "fk_outbox_events_circle" FOREIGN KEY ("circle_id") REFERENCES "circles"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "outbox_heads" ADD CONSTRAINT "fk_outbox_heads_circle" FOREIGN KEY ("circle_id") REFERENCES "circles"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    for (const sql of KEPT.up) await queryRunner.query(sql);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const sql of KEPT.down) await queryRunner.query(sql);
    await queryRunner.query(`ALTER TABLE "outbox_heads" DROP CONSTRAINT "fk_outbox_heads_circle"`);
    await queryRunner.query(`ALTER TABLE "outbox_events" DROP CONSTRAINT "fk_outbox_events_circle"`);
    await queryRunner.query(`DROP TABLE "outbox_heads"`);
    await queryRunner.query(`DROP TABLE "outbox_events"`);
  }
}
