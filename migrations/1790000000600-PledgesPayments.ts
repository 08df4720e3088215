import type { MigrationInterface, QueryRunner } from 'typeorm';
import { appendOnly, guards } from './support/append-only.js';

/**
 * Payments (processed provider events, provider customers) and pledges (pledges,
 * contributions, card refunds/disputes and the history of both). The tables come
 * from the entities; the guards below are what TypeORM cannot model, so raw SQL cannot
 * break them either.
 */
// docs/design.md "State machines": the history of every transition is append-only.
const HISTORY_GUARDS = guards(
  appendOnly({ table: 'pledge_history', code: 'AR601', rule: 'the history is append-only' }),
  appendOnly({ table: 'contribution_history', code: 'AR601', rule: 'the history is append-only' }),
);

const GUARDS_UP = [
  ...HISTORY_GUARDS.up,

  // Money safety: a contribution is never removed, and what was received (amount, fee,
  // currency, day, pledge, provider payment) never changes; only pending → posted happens,
  // once, and a posted contribution keeps its ledger transfer. Refunds and disputes are
  // separate rows with their own transfers, which are never removed or re-pointed either.
  `CREATE FUNCTION contributions_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP <> 'UPDATE' THEN
    RAISE EXCEPTION '% on % is not allowed: money records are kept', TG_OP, TG_TABLE_NAME USING ERRCODE = 'AR602';
  END IF;
  IF TG_TABLE_NAME = 'contributions' THEN
    IF NEW.id <> OLD.id OR NEW.circle_id <> OLD.circle_id OR NEW.pledge_id IS DISTINCT FROM OLD.pledge_id
       OR NEW.donor_user_id IS DISTINCT FROM OLD.donor_user_id OR NEW.method <> OLD.method
       OR NEW.amount <> OLD.amount OR NEW.fee <> OLD.fee OR NEW.currency <> OLD.currency OR NEW.received_on <> OLD.received_on
       OR NEW.provider_payment_ref IS DISTINCT FROM OLD.provider_payment_ref OR NEW.recorded_by IS DISTINCT FROM OLD.recorded_by
       OR NEW.created_at <> OLD.created_at
       OR (OLD.status = 'posted' AND (NEW.status <> 'posted' OR NEW.transfer_id IS DISTINCT FROM OLD.transfer_id
           OR NEW.approved_by IS DISTINCT FROM OLD.approved_by OR NEW.posted_at IS DISTINCT FROM OLD.posted_at)) THEN
      RAISE EXCEPTION 'a contribution only moves from pending to posted, once' USING ERRCODE = 'AR602';
    END IF;
  ELSIF NEW.id <> OLD.id OR NEW.circle_id <> OLD.circle_id OR NEW.contribution_id <> OLD.contribution_id OR NEW.kind <> OLD.kind
     OR NEW.provider_ref <> OLD.provider_ref OR NEW.amount <> OLD.amount OR NEW.fee <> OLD.fee OR NEW.shortfall <> OLD.shortfall
     OR NEW.transfer_id <> OLD.transfer_id OR NEW.created_at <> OLD.created_at
     OR (OLD.reinstated_transfer_id IS NOT NULL AND NEW.reinstated_transfer_id IS DISTINCT FROM OLD.reinstated_transfer_id) THEN
    RAISE EXCEPTION 'a refund or dispute booking only gains its reinstatement, once' USING ERRCODE = 'AR602';
  END IF;
  RETURN NEW;
END
$$`,
  `CREATE TRIGGER contributions_guard BEFORE UPDATE OR DELETE ON contributions
  FOR EACH ROW EXECUTE FUNCTION contributions_guard()`,
  `CREATE TRIGGER contributions_no_truncate BEFORE TRUNCATE ON contributions
  FOR EACH STATEMENT EXECUTE FUNCTION contributions_guard()`,
  `CREATE TRIGGER contribution_reversals_guard BEFORE UPDATE OR DELETE ON contribution_reversals
  FOR EACH ROW EXECUTE FUNCTION contributions_guard()`,
  `CREATE TRIGGER contribution_reversals_no_truncate BEFORE TRUNCATE ON contribution_reversals
  FOR EACH STATEMENT EXECUTE FUNCTION contributions_guard()`,
];

const GUARDS_DOWN = [
  'DROP TRIGGER contribution_reversals_no_truncate ON contribution_reversals',
  'DROP TRIGGER contribution_reversals_guard ON contribution_reversals',
  'DROP TRIGGER contributions_no_truncate ON contributions',
  'DROP TRIGGER contributions_guard ON contributions',
  'DROP FUNCTION contributions_guard()',
  ...HISTORY_GUARDS.down,
];

export class PledgesPayments1790000000600 implements MigrationInterface {
  name = 'PledgesPayments1790000000600';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "payment_customers" ("circle_id" uuid NOT NULL, "user_id" uuid NOT NULL, "provider" character varying(16) NOT NULL, "customer_ref" character varying(255) NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "ck_payment_customers_provider" CHECK (provider IN ('stripe')), CONSTRAINT "pk_payment_customers" PRIMARY KEY ("circle_id", "user_id", "provider"))`);
    await queryRunner.query(`CREATE UNIQUE INDEX "uq_payment_customers_ref" ON "payment_customers"  ("provider", "customer_ref") `);
    await queryRunner.query(`CREATE TABLE "payment_events" ("provider" character varying(16) NOT NULL, "event_id" character varying(255) NOT NULL, "event_type" character varying(100) NOT NULL, "processed_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "ck_payment_events_provider" CHECK (provider IN ('stripe')), CONSTRAINT "pk_payment_events" PRIMARY KEY ("provider", "event_id"))`);
    await queryRunner.query(`CREATE TABLE "pledges" ("id" uuid NOT NULL, "circle_id" uuid NOT NULL, "donor_user_id" uuid NOT NULL, "cycle_id" uuid, "amount" bigint NOT NULL, "currency" character(3) NOT NULL, "method" character varying(8) NOT NULL, "status" character varying(16) NOT NULL, "version" integer NOT NULL DEFAULT '1', "anchor_on" date NOT NULL, "paused_on" date, "provider_checkout_ref" character varying(255), "provider_subscription_ref" character varying(255), "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), "status_changed_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "uq_pledges_id_circle" UNIQUE ("id", "circle_id"), CONSTRAINT "ck_pledges_paused_on" CHECK ((status = 'paused') = (paused_on IS NOT NULL)), CONSTRAINT "ck_pledges_provider_refs_card_only" CHECK (method = 'card' OR (provider_checkout_ref IS NULL AND provider_subscription_ref IS NULL)), CONSTRAINT "ck_pledges_version_positive" CHECK (version >= 1), CONSTRAINT "ck_pledges_amount_positive" CHECK (amount > 0), CONSTRAINT "ck_pledges_method" CHECK (method IN ('card', 'manual')), CONSTRAINT "ck_pledges_status" CHECK (status IN ('pending', 'active', 'paused', 'past_due', 'lapsed', 'cancelled', 'completed')), CONSTRAINT "PK_cbc41e4e1ba6b2690543f158d22" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE UNIQUE INDEX "uq_pledges_subscription_ref" ON "pledges"  ("provider_subscription_ref") WHERE provider_subscription_ref IS NOT NULL`);
    await queryRunner.query(`CREATE UNIQUE INDEX "uq_pledges_checkout_ref" ON "pledges"  ("provider_checkout_ref") WHERE provider_checkout_ref IS NOT NULL`);
    await queryRunner.query(`CREATE INDEX "idx_pledges_donor" ON "pledges"  ("circle_id", "donor_user_id", "created_at") `);
    await queryRunner.query(`CREATE INDEX "idx_pledges_circle_created" ON "pledges"  ("circle_id", "created_at", "id") `);
    await queryRunner.query(`CREATE TABLE "contributions" ("id" uuid NOT NULL, "circle_id" uuid NOT NULL, "pledge_id" uuid, "donor_user_id" uuid, "method" character varying(16) NOT NULL, "amount" bigint NOT NULL, "fee" bigint NOT NULL DEFAULT '0', "currency" character(3) NOT NULL, "received_on" date NOT NULL, "status" character varying(16) NOT NULL, "transfer_id" uuid, "provider_payment_ref" character varying(255), "recorded_by" uuid, "approved_by" uuid, "posted_at" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "uq_contributions_id_circle" UNIQUE ("id", "circle_id"), CONSTRAINT "ck_contributions_second_approver" CHECK (approved_by IS NULL OR recorded_by IS NULL OR approved_by <> recorded_by), CONSTRAINT "ck_contributions_card_provider" CHECK ((method = 'card') = (provider_payment_ref IS NOT NULL)), CONSTRAINT "ck_contributions_posted_transfer" CHECK ((status = 'posted') = (transfer_id IS NOT NULL)), CONSTRAINT "ck_contributions_amounts" CHECK (amount > 0 AND fee >= 0 AND fee <= amount), CONSTRAINT "ck_contributions_method" CHECK (method IN ('card', 'cash', 'cashapp', 'venmo', 'zelle', 'paypal', 'bank', 'other')), CONSTRAINT "ck_contributions_status" CHECK (status IN ('pending', 'posted')), CONSTRAINT "PK_ca2b4f39eb9e32a61278c711f79" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "idx_contributions_pledge" ON "contributions"  ("pledge_id") `);
    await queryRunner.query(`CREATE INDEX "idx_contributions_circle_received" ON "contributions"  ("circle_id", "received_on") `);
    await queryRunner.query(`CREATE INDEX "idx_contributions_circle_created" ON "contributions"  ("circle_id", "created_at", "id") `);
    await queryRunner.query(`CREATE UNIQUE INDEX "uq_contributions_transfer" ON "contributions"  ("transfer_id") WHERE transfer_id IS NOT NULL`);
    await queryRunner.query(`CREATE UNIQUE INDEX "uq_contributions_provider_payment_ref" ON "contributions"  ("provider_payment_ref") WHERE provider_payment_ref IS NOT NULL`);
    await queryRunner.query(`CREATE TABLE "contribution_history" ("id" bigint GENERATED ALWAYS AS IDENTITY NOT NULL, "circle_id" uuid NOT NULL, "contribution_id" uuid NOT NULL, "from_status" character varying(16), "to_status" character varying(16) NOT NULL, "actor" character varying(16) NOT NULL, "actor_user_id" uuid, "at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "ck_contribution_history_user_actor" CHECK ((actor = 'user') = (actor_user_id IS NOT NULL)), CONSTRAINT "ck_contribution_history_actor" CHECK (actor IN ('user', 'provider')), CONSTRAINT "ck_contribution_history_to_status" CHECK (to_status IN ('pending', 'posted')), CONSTRAINT "pk_contribution_history" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "idx_contribution_history_contribution" ON "contribution_history"  ("contribution_id", "id") `);
    await queryRunner.query(`CREATE TABLE "contribution_reversals" ("id" uuid NOT NULL, "circle_id" uuid NOT NULL, "contribution_id" uuid NOT NULL, "kind" character varying(16) NOT NULL, "provider_ref" character varying(255) NOT NULL, "amount" bigint NOT NULL, "fee" bigint NOT NULL DEFAULT '0', "shortfall" bigint NOT NULL DEFAULT '0', "transfer_id" uuid NOT NULL, "reinstated_transfer_id" uuid, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "ck_contribution_reversals_reinstated" CHECK (kind = 'dispute' OR reinstated_transfer_id IS NULL), CONSTRAINT "ck_contribution_reversals_amounts" CHECK (amount > 0 AND fee >= 0 AND shortfall >= 0 AND shortfall <= amount + fee), CONSTRAINT "ck_contribution_reversals_kind" CHECK (kind IN ('refund', 'dispute')), CONSTRAINT "PK_df67d4c4e48d1b3b0f89f4bf330" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "idx_contribution_reversals_contribution" ON "contribution_reversals"  ("contribution_id") `);
    await queryRunner.query(`CREATE UNIQUE INDEX "uq_contribution_reversals_transfer" ON "contribution_reversals"  ("transfer_id") `);
    await queryRunner.query(`CREATE UNIQUE INDEX "uq_contribution_reversals_provider_ref" ON "contribution_reversals"  ("provider_ref") `);
    await queryRunner.query(`CREATE TABLE "pledge_history" ("id" bigint GENERATED ALWAYS AS IDENTITY NOT NULL, "circle_id" uuid NOT NULL, "pledge_id" uuid NOT NULL, "from_status" character varying(16), "to_status" character varying(16) NOT NULL, "actor" character varying(16) NOT NULL, "actor_user_id" uuid, "at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "ck_pledge_history_user_actor" CHECK ((actor = 'user') = (actor_user_id IS NOT NULL)), CONSTRAINT "ck_pledge_history_actor" CHECK (actor IN ('user', 'provider', 'job')), CONSTRAINT "ck_pledge_history_to_status" CHECK (to_status IN ('pending', 'active', 'paused', 'past_due', 'lapsed', 'cancelled', 'completed')), CONSTRAINT "pk_pledge_history" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "idx_pledge_history_circle_at" ON "pledge_history"  ("circle_id", "at") `);
    await queryRunner.query(`CREATE INDEX "idx_pledge_history_pledge" ON "pledge_history"  ("pledge_id", "id") `);
    await queryRunner.query(`ALTER TABLE "payment_customers" ADD CONSTRAINT "fk_payment_customers_circle" FOREIGN KEY ("circle_id") REFERENCES "circles"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "payment_customers" ADD CONSTRAINT "fk_payment_customers_user" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "pledges" ADD CONSTRAINT "fk_pledges_circle" FOREIGN KEY ("circle_id") REFERENCES "circles"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "pledges" ADD CONSTRAINT "fk_pledges_cycle" FOREIGN KEY ("cycle_id", "circle_id") REFERENCES "cycles"("id","circle_id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "contributions" ADD CONSTRAINT "fk_contributions_circle" FOREIGN KEY ("circle_id") REFERENCES "circles"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "contributions" ADD CONSTRAINT "fk_contributions_pledge" FOREIGN KEY ("pledge_id", "circle_id") REFERENCES "pledges"("id","circle_id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "contribution_history" ADD CONSTRAINT "fk_contribution_history_contribution" FOREIGN KEY ("contribution_id", "circle_id") REFERENCES "contributions"("id","circle_id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "contribution_reversals" ADD CONSTRAINT "fk_contribution_reversals_contribution" FOREIGN KEY ("contribution_id", "circle_id") REFERENCES "contributions"("id","circle_id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "pledge_history" ADD CONSTRAINT "fk_pledge_history_pledge" FOREIGN KEY ("pledge_id", "circle_id") REFERENCES "pledges"("id","circle_id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    for (const sql of GUARDS_UP) await queryRunner.query(sql);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const sql of GUARDS_DOWN) await queryRunner.query(sql);
    await queryRunner.query(`ALTER TABLE "pledge_history" DROP CONSTRAINT "fk_pledge_history_pledge"`);
    await queryRunner.query(`ALTER TABLE "contribution_reversals" DROP CONSTRAINT "fk_contribution_reversals_contribution"`);
    await queryRunner.query(`ALTER TABLE "contribution_history" DROP CONSTRAINT "fk_contribution_history_contribution"`);
    await queryRunner.query(`ALTER TABLE "contributions" DROP CONSTRAINT "fk_contributions_pledge"`);
    await queryRunner.query(`ALTER TABLE "contributions" DROP CONSTRAINT "fk_contributions_circle"`);
    await queryRunner.query(`ALTER TABLE "pledges" DROP CONSTRAINT "fk_pledges_cycle"`);
    await queryRunner.query(`ALTER TABLE "pledges" DROP CONSTRAINT "fk_pledges_circle"`);
    await queryRunner.query(`ALTER TABLE "payment_customers" DROP CONSTRAINT "fk_payment_customers_user"`);
    await queryRunner.query(`ALTER TABLE "payment_customers" DROP CONSTRAINT "fk_payment_customers_circle"`);
    await queryRunner.query(`DROP INDEX "public"."idx_pledge_history_pledge"`);
    await queryRunner.query(`DROP INDEX "public"."idx_pledge_history_circle_at"`);
    await queryRunner.query(`DROP TABLE "pledge_history"`);
    await queryRunner.query(`DROP INDEX "public"."uq_contribution_reversals_provider_ref"`);
    await queryRunner.query(`DROP INDEX "public"."uq_contribution_reversals_transfer"`);
    await queryRunner.query(`DROP INDEX "public"."idx_contribution_reversals_contribution"`);
    await queryRunner.query(`DROP TABLE "contribution_reversals"`);
    await queryRunner.query(`DROP INDEX "public"."idx_contribution_history_contribution"`);
    await queryRunner.query(`DROP TABLE "contribution_history"`);
    await queryRunner.query(`DROP INDEX "public"."uq_contributions_provider_payment_ref"`);
    await queryRunner.query(`DROP INDEX "public"."uq_contributions_transfer"`);
    await queryRunner.query(`DROP INDEX "public"."idx_contributions_circle_created"`);
    await queryRunner.query(`DROP INDEX "public"."idx_contributions_circle_received"`);
    await queryRunner.query(`DROP INDEX "public"."idx_contributions_pledge"`);
    await queryRunner.query(`DROP TABLE "contributions"`);
    await queryRunner.query(`DROP INDEX "public"."idx_pledges_circle_created"`);
    await queryRunner.query(`DROP INDEX "public"."idx_pledges_donor"`);
    await queryRunner.query(`DROP INDEX "public"."uq_pledges_checkout_ref"`);
    await queryRunner.query(`DROP INDEX "public"."uq_pledges_subscription_ref"`);
    await queryRunner.query(`DROP TABLE "pledges"`);
    await queryRunner.query(`DROP TABLE "payment_events"`);
    await queryRunner.query(`DROP INDEX "public"."uq_payment_customers_ref"`);
    await queryRunner.query(`DROP TABLE "payment_customers"`);
  }
}
