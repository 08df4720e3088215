import type { MigrationInterface, QueryRunner } from 'typeorm';

// A recipient can say through their acknowledgement link that the money did not arrive
// (docs/pages.md, "The pages"): the payout stays sent, and its history records the
// report (event `not_arrived_reported`, from sent to sent, actor link) so the treasurers see
// it beside the payout; `payout.not_arrived` tells integrators.
const BEFORE = `(event = 'status_change' AND from_status IS DISTINCT FROM to_status) OR (event = 'acknowledgement_link_issued' AND from_status = 'sent' AND to_status = 'sent')`;
const AFTER = `(event = 'status_change' AND from_status IS DISTINCT FROM to_status) OR (event IN ('acknowledgement_link_issued', 'not_arrived_reported') AND from_status = 'sent' AND to_status = 'sent')`;

export class PayoutNotArrived1790000001710 implements MigrationInterface {
  name = 'PayoutNotArrived1790000001710';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "payout_history" DROP CONSTRAINT "ck_payout_history_event"`);
    await queryRunner.query(`ALTER TABLE "payout_history" ADD CONSTRAINT "ck_payout_history_event" CHECK (${AFTER})`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "payout_history" DROP CONSTRAINT "ck_payout_history_event"`);
    await queryRunner.query(`ALTER TABLE "payout_history" ADD CONSTRAINT "ck_payout_history_event" CHECK (${BEFORE})`);
  }
}
