import type { MigrationInterface, QueryRunner } from 'typeorm';
import { appendOnly } from './support/append-only.js';

/**
 * Cycles, slot assignments, payouts and their history. The tables come from the
 * entities; the guards below are what TypeORM cannot model, so raw SQL cannot break them.
 */
const HISTORY_GUARD = appendOnly({ table: 'payout_history', code: 'AR501', rule: 'the history is append-only' });

const GUARDS_UP = [
  // Invariant 7 (active recipients in a cycle ≤ its slots): with the unique index on held
  // (cycle, slot_no), a slot number within the cycle's slots and one holder per week range
  // of a slot bound the recipients paid in any week by the cycle's slots.
  `CREATE FUNCTION slot_assignments_guard() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  v_slots integer;
BEGIN
  SELECT c.slots INTO v_slots FROM cycles c WHERE c.id = NEW.cycle_id;
  IF NEW.slot_no > v_slots THEN
    RAISE EXCEPTION 'slot % does not exist: the cycle has % slots', NEW.slot_no, v_slots
      USING ERRCODE = '23514', CONSTRAINT = 'slot_assignments_within_slots', TABLE = 'slot_assignments';
  END IF;
  IF EXISTS (SELECT 1 FROM slot_assignments a
              WHERE a.cycle_id = NEW.cycle_id AND a.slot_no = NEW.slot_no AND a.id <> NEW.id
                AND int4range(a.from_week, a.to_week + 1) && int4range(NEW.from_week, NEW.to_week + 1)) THEN
    RAISE EXCEPTION 'slot % is already assigned for some of weeks % to %', NEW.slot_no, NEW.from_week, coalesce(NEW.to_week::text, 'the end')
      USING ERRCODE = '23514', CONSTRAINT = 'slot_assignments_weeks_disjoint', TABLE = 'slot_assignments';
  END IF;
  RETURN NEW;
END
$$`,
  `CREATE TRIGGER slot_assignments_guard BEFORE INSERT OR UPDATE OF cycle_id, slot_no, from_week, to_week ON slot_assignments
  FOR EACH ROW EXECUTE FUNCTION slot_assignments_guard()`,
  // Invariant 7 again: a cycle cannot shrink below the slot numbers it has handed out.
  `CREATE FUNCTION cycles_slots_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF EXISTS (SELECT 1 FROM slot_assignments a WHERE a.cycle_id = NEW.id AND a.slot_no > NEW.slots) THEN
    RAISE EXCEPTION 'the cycle has assignments beyond % slots', NEW.slots
      USING ERRCODE = '23514', CONSTRAINT = 'slot_assignments_within_slots', TABLE = 'cycles';
  END IF;
  RETURN NEW;
END
$$`,
  `CREATE TRIGGER cycles_slots_guard BEFORE UPDATE OF slots ON cycles
  FOR EACH ROW WHEN (NEW.slots < OLD.slots) EXECUTE FUNCTION cycles_slots_guard()`,

  // The payout state machine (docs/design.md "State machines") held by the database too: only its transitions,
  // and what a payout is — who, which week, how much — never changes. Payouts are not deleted.
  `CREATE FUNCTION payouts_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP IN ('DELETE', 'TRUNCATE') THEN
    RAISE EXCEPTION 'payouts are never deleted: cancel one instead' USING ERRCODE = 'AR502';
  END IF;
  IF (NEW.id, NEW.circle_id, NEW.cycle_id, NEW.recipient_id, NEW.week, NEW.payout_date, NEW.amount, NEW.currency)
     IS DISTINCT FROM (OLD.id, OLD.circle_id, OLD.cycle_id, OLD.recipient_id, OLD.week, OLD.payout_date, OLD.amount, OLD.currency) THEN
    RAISE EXCEPTION 'a payout''s recipient, week and amount never change' USING ERRCODE = 'AR502';
  END IF;
  -- A link is for money still out: issued, or replaced by a new one (the old one stops
  -- working), only while the payout is sent — with or without a status change in the UPDATE.
  IF (NEW.ack_token_hash, NEW.ack_expires_at) IS DISTINCT FROM (OLD.ack_token_hash, OLD.ack_expires_at) AND NEW.status <> 'sent' THEN
    RAISE EXCEPTION 'an acknowledgement link is issued only for a sent payout, not a % one', NEW.status USING ERRCODE = 'AR502';
  END IF;
  IF NEW.status IS DISTINCT FROM OLD.status AND (OLD.status, NEW.status) NOT IN (
       ('scheduled', 'approved'), ('approved', 'sent'), ('sent', 'acknowledged'), ('sent', 'returned'),
       ('scheduled', 'cancelled'), ('approved', 'cancelled')) THEN
    RAISE EXCEPTION 'a payout cannot go from % to %', OLD.status, NEW.status USING ERRCODE = 'AR502';
  END IF;
  RETURN NEW;
END
$$`,
  `CREATE TRIGGER payouts_guard BEFORE UPDATE OR DELETE ON payouts
  FOR EACH ROW EXECUTE FUNCTION payouts_guard()`,
  `CREATE TRIGGER payouts_no_truncate BEFORE TRUNCATE ON payouts
  FOR EACH STATEMENT EXECUTE FUNCTION payouts_guard()`,

  // docs/design.md "State machines": the history of every transition is append-only.
  ...HISTORY_GUARD.up,
];

const GUARDS_DOWN = [
  ...HISTORY_GUARD.down,
  'DROP TRIGGER payouts_no_truncate ON payouts',
  'DROP TRIGGER payouts_guard ON payouts',
  'DROP FUNCTION payouts_guard()',
  'DROP TRIGGER cycles_slots_guard ON cycles',
  'DROP FUNCTION cycles_slots_guard()',
  'DROP TRIGGER slot_assignments_guard ON slot_assignments',
  'DROP FUNCTION slot_assignments_guard()',
];

export class CyclesPayouts1790000000500 implements MigrationInterface {
  name = 'CyclesPayouts1790000000500';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "cycles" ("id" uuid NOT NULL, "circle_id" uuid NOT NULL, "status" character varying(16) NOT NULL DEFAULT 'draft', "starts_on" date NOT NULL, "weeks" smallint NOT NULL, "amount" bigint NOT NULL, "slots" integer NOT NULL, "payout_weekday" smallint NOT NULL, "generated_weeks" smallint NOT NULL DEFAULT '0', "created_by" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "activated_at" TIMESTAMP WITH TIME ZONE, "closed_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "uq_cycles_id_circle" UNIQUE ("id", "circle_id"), CONSTRAINT "ck_cycles_generated_weeks" CHECK (generated_weeks BETWEEN 0 AND weeks), CONSTRAINT "ck_cycles_payout_weekday" CHECK (payout_weekday BETWEEN 1 AND 7), CONSTRAINT "ck_cycles_amount_positive" CHECK (amount > 0), CONSTRAINT "ck_cycles_slots" CHECK (slots BETWEEN 1 AND 1000), CONSTRAINT "ck_cycles_weeks" CHECK (weeks BETWEEN 1 AND 104), CONSTRAINT "ck_cycles_status" CHECK (status IN ('draft', 'active', 'closed')), CONSTRAINT "PK_52e5eeb9c7c6e4ad1aed657967a" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "idx_cycles_circle_created" ON "cycles"  ("circle_id", "created_at", "id") `);
    await queryRunner.query(`CREATE UNIQUE INDEX "uq_cycles_one_active_per_circle" ON "cycles"  ("circle_id") WHERE status = 'active'`);
    await queryRunner.query(`CREATE TABLE "slot_assignments" ("id" uuid NOT NULL, "circle_id" uuid NOT NULL, "cycle_id" uuid NOT NULL, "slot_no" integer NOT NULL, "recipient_id" uuid NOT NULL, "from_week" smallint NOT NULL, "to_week" smallint, "held" boolean NOT NULL DEFAULT true, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "ended_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "ck_slot_assignments_open_is_held" CHECK (to_week IS NOT NULL OR held), CONSTRAINT "ck_slot_assignments_weeks" CHECK (from_week >= 1 AND (to_week IS NULL OR to_week >= from_week - 1)), CONSTRAINT "ck_slot_assignments_slot_no" CHECK (slot_no >= 1), CONSTRAINT "PK_91f8b67ed0b685f5d6043365de3" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "idx_slot_assignments_recipient" ON "slot_assignments"  ("circle_id", "recipient_id") `);
    await queryRunner.query(`CREATE UNIQUE INDEX "uq_slot_assignments_held_recipient" ON "slot_assignments"  ("cycle_id", "recipient_id") WHERE held`);
    await queryRunner.query(`CREATE UNIQUE INDEX "uq_slot_assignments_held_slot" ON "slot_assignments"  ("cycle_id", "slot_no") WHERE held`);
    await queryRunner.query(`CREATE TABLE "payouts" ("id" uuid NOT NULL, "circle_id" uuid NOT NULL, "cycle_id" uuid NOT NULL, "recipient_id" uuid NOT NULL, "week" smallint NOT NULL, "payout_date" date NOT NULL, "amount" bigint NOT NULL, "currency" character(3) NOT NULL, "status" character varying(16) NOT NULL DEFAULT 'scheduled', "method" character varying(16), "reference_last4" character varying(4), "proof_sha256" character(64), "transfer_id" uuid, "reversal_transfer_id" uuid, "ack_token_hash" character(64), "ack_expires_at" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "approved_at" TIMESTAMP WITH TIME ZONE, "sent_at" TIMESTAMP WITH TIME ZONE, "acknowledged_at" TIMESTAMP WITH TIME ZONE, "returned_at" TIMESTAMP WITH TIME ZONE, "cancelled_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "uq_payouts_id_circle" UNIQUE ("id", "circle_id"), CONSTRAINT "uq_payouts_cycle_recipient_week" UNIQUE ("cycle_id", "recipient_id", "week"), CONSTRAINT "ck_payouts_returned_reversed" CHECK ((status = 'returned') = (reversal_transfer_id IS NOT NULL)), CONSTRAINT "ck_payouts_sent_posted" CHECK ((status IN ('sent', 'acknowledged', 'returned')) = (transfer_id IS NOT NULL AND method IS NOT NULL)), CONSTRAINT "ck_payouts_proof_sha256" CHECK (proof_sha256 IS NULL OR proof_sha256 ~ '^[0-9a-f]{64}$'), CONSTRAINT "ck_payouts_reference_last4" CHECK (reference_last4 IS NULL OR reference_last4 ~ '^[A-Za-z0-9]{4}$'), CONSTRAINT "ck_payouts_method" CHECK (method IS NULL OR method IN ('cash', 'cashapp', 'venmo', 'zelle', 'paypal', 'bank', 'other')), CONSTRAINT "ck_payouts_amount_positive" CHECK (amount > 0), CONSTRAINT "ck_payouts_week" CHECK (week >= 1), CONSTRAINT "ck_payouts_status" CHECK (status IN ('scheduled', 'approved', 'sent', 'acknowledged', 'returned', 'cancelled')), CONSTRAINT "PK_76855dc4f0a6c18c72eea302e87" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE UNIQUE INDEX "uq_payouts_ack_token_hash" ON "payouts"  ("ack_token_hash") `);
    await queryRunner.query(`CREATE INDEX "idx_payouts_cycle_week" ON "payouts"  ("cycle_id", "week", "status") `);
    await queryRunner.query(`CREATE INDEX "idx_payouts_circle_created" ON "payouts"  ("circle_id", "created_at", "id") `);
    await queryRunner.query(`CREATE TABLE "payout_history" ("id" bigint GENERATED ALWAYS AS IDENTITY NOT NULL, "circle_id" uuid NOT NULL, "payout_id" uuid NOT NULL, "event" character varying(32) NOT NULL DEFAULT 'status_change', "from_status" character varying(16), "to_status" character varying(16) NOT NULL, "actor_user_id" uuid, "at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "ck_payout_history_event" CHECK ((event = 'status_change' AND from_status IS DISTINCT FROM to_status) OR (event = 'acknowledgement_link_issued' AND from_status = 'sent' AND to_status = 'sent')), CONSTRAINT "ck_payout_history_to_status" CHECK (to_status IN ('scheduled', 'approved', 'sent', 'acknowledged', 'returned', 'cancelled')), CONSTRAINT "PK_33d39bf1a6123a50aefbaca1489" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "idx_payout_history_payout" ON "payout_history"  ("payout_id", "id") `);
    await queryRunner.query(`ALTER TABLE "cycles" ADD CONSTRAINT "fk_cycles_circle" FOREIGN KEY ("circle_id") REFERENCES "circles"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "slot_assignments" ADD CONSTRAINT "fk_slot_assignments_recipient" FOREIGN KEY ("recipient_id") REFERENCES "recipients"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "slot_assignments" ADD CONSTRAINT "fk_slot_assignments_cycle" FOREIGN KEY ("cycle_id", "circle_id") REFERENCES "cycles"("id","circle_id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "payouts" ADD CONSTRAINT "fk_payouts_recipient" FOREIGN KEY ("recipient_id") REFERENCES "recipients"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "payouts" ADD CONSTRAINT "fk_payouts_reversal_transfer" FOREIGN KEY ("reversal_transfer_id", "circle_id") REFERENCES "ledger_transfers"("id","circle_id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "payouts" ADD CONSTRAINT "fk_payouts_transfer" FOREIGN KEY ("transfer_id", "circle_id") REFERENCES "ledger_transfers"("id","circle_id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "payouts" ADD CONSTRAINT "fk_payouts_cycle" FOREIGN KEY ("cycle_id", "circle_id") REFERENCES "cycles"("id","circle_id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "payout_history" ADD CONSTRAINT "fk_payout_history_payout" FOREIGN KEY ("payout_id", "circle_id") REFERENCES "payouts"("id","circle_id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    for (const statement of GUARDS_UP) await queryRunner.query(statement);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const statement of GUARDS_DOWN) await queryRunner.query(statement);
    await queryRunner.query(`ALTER TABLE "payout_history" DROP CONSTRAINT "fk_payout_history_payout"`);
    await queryRunner.query(`ALTER TABLE "payouts" DROP CONSTRAINT "fk_payouts_cycle"`);
    await queryRunner.query(`ALTER TABLE "payouts" DROP CONSTRAINT "fk_payouts_transfer"`);
    await queryRunner.query(`ALTER TABLE "payouts" DROP CONSTRAINT "fk_payouts_reversal_transfer"`);
    await queryRunner.query(`ALTER TABLE "payouts" DROP CONSTRAINT "fk_payouts_recipient"`);
    await queryRunner.query(`ALTER TABLE "slot_assignments" DROP CONSTRAINT "fk_slot_assignments_cycle"`);
    await queryRunner.query(`ALTER TABLE "slot_assignments" DROP CONSTRAINT "fk_slot_assignments_recipient"`);
    await queryRunner.query(`ALTER TABLE "cycles" DROP CONSTRAINT "fk_cycles_circle"`);
    await queryRunner.query(`DROP INDEX "public"."idx_payout_history_payout"`);
    await queryRunner.query(`DROP TABLE "payout_history"`);
    await queryRunner.query(`DROP INDEX "public"."idx_payouts_circle_created"`);
    await queryRunner.query(`DROP INDEX "public"."idx_payouts_cycle_week"`);
    await queryRunner.query(`DROP INDEX "public"."uq_payouts_ack_token_hash"`);
    await queryRunner.query(`DROP TABLE "payouts"`);
    await queryRunner.query(`DROP INDEX "public"."uq_slot_assignments_held_slot"`);
    await queryRunner.query(`DROP INDEX "public"."uq_slot_assignments_held_recipient"`);
    await queryRunner.query(`DROP INDEX "public"."idx_slot_assignments_recipient"`);
    await queryRunner.query(`DROP TABLE "slot_assignments"`);
    await queryRunner.query(`DROP INDEX "public"."uq_cycles_one_active_per_circle"`);
    await queryRunner.query(`DROP INDEX "public"."idx_cycles_circle_created"`);
    await queryRunner.query(`DROP TABLE "cycles"`);
  }
}
