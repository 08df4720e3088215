import type { MigrationInterface, QueryRunner } from 'typeorm';
import { appendOnly } from './support/append-only.js';
import { FUNCTIONS_UP as RECEIPT_FUNCTIONS } from './1790000000800-Receipts.js';

/**
 * Requests for help and grants (docs/grants.md): the tables come from src/requests/*.entity.ts;
 * below them, what TypeORM cannot model — the database's own guards on a request's states and
 * money, and the grant receipt (kind `grant` with its category) in the ledger's receipt
 * functions. Custom SQLSTATEs AR14x are mapped to problems by src/requests/request-problems.ts.
 */
const UUID_RE = `'^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$'`;

export const GUARDS_UP = [
  // Every change to a request is recorded in an append-only history (who, when).
  ...appendOnly({ table: 'request_history', code: 'AR140', rule: 'the request history is append-only' }).up,

  // The state machine of src/requests/request-status.ts, and the money rules that go with it:
  // what was asked and who opened a request never change; a grant at or above the two-person
  // threshold is approved and sent by two different people; approvals of one calendar month
  // stay within the grant budget; and the pool is never promised twice (the grants approved
  // and not yet paid are reserved out of it). One circle's decisions are serialised by an
  // advisory lock, so two approvals cannot both see the same room in the budget or the pool.
  `CREATE FUNCTION requests_guard() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  v_budget bigint;
  v_threshold bigint;
  v_committed bigint;
  v_reserved bigint;
  v_pool bigint;
BEGIN
  IF TG_OP = 'DELETE' THEN
    RAISE EXCEPTION 'requests are never deleted: decline, withdraw or cancel one instead' USING ERRCODE = 'AR141';
  END IF;
  IF NEW.circle_id <> OLD.circle_id OR NEW.kind <> OLD.kind OR NEW.subject_id <> OLD.subject_id OR NEW.source <> OLD.source
     OR NEW.amount_asked IS DISTINCT FROM OLD.amount_asked OR NEW.category IS DISTINCT FROM OLD.category
     OR NEW.opened_by IS DISTINCT FROM OLD.opened_by OR NEW.intake_link_id IS DISTINCT FROM OLD.intake_link_id THEN
    RAISE EXCEPTION 'what was asked, and by whom, never changes' USING ERRCODE = 'AR141';
  END IF;
  -- Money safety: once approved, the amount granted and the money's trail never change.
  IF OLD.status NOT IN ('submitted', 'in_review') AND (NEW.amount_granted IS DISTINCT FROM OLD.amount_granted
     OR NEW.transfer_id IS DISTINCT FROM OLD.transfer_id AND OLD.transfer_id IS NOT NULL
     OR NEW.budget_month IS DISTINCT FROM OLD.budget_month) THEN
    RAISE EXCEPTION 'an approved grant''s amount, month and posting never change' USING ERRCODE = 'AR141';
  END IF;
  IF NEW.status <> OLD.status AND NOT (OLD.status, NEW.status) IN (
       ('submitted', 'in_review'), ('submitted', 'approved'), ('in_review', 'approved'),
       ('submitted', 'declined'), ('in_review', 'declined'), ('submitted', 'withdrawn'), ('in_review', 'withdrawn'),
       ('approved', 'cancelled'), ('approved', 'paid'), ('paid', 'acknowledged'), ('paid', 'returned'), ('acknowledged', 'returned')) THEN
    RAISE EXCEPTION 'a request cannot go from % to %', OLD.status, NEW.status USING ERRCODE = 'AR141';
  END IF;
  IF NEW.kind <> 'grant' OR NEW.status = OLD.status OR NEW.status NOT IN ('approved', 'paid') THEN
    RETURN NEW;
  END IF;

  PERFORM pg_advisory_xact_lock(72531400, hashtext(NEW.circle_id::text));
  SELECT s.grant_budget_monthly, s.two_person_threshold INTO v_budget, v_threshold
    FROM request_settings s WHERE s.circle_id = NEW.circle_id;
  IF NEW.status = 'approved' THEN
    IF v_threshold IS NOT NULL AND NEW.amount_granted >= v_threshold AND NEW.second_approved_by IS NULL THEN
      RAISE EXCEPTION 'a grant at or above the two-person threshold needs a second approver' USING ERRCODE = 'AR142';
    END IF;
    IF NEW.budget_month IS NULL THEN
      RAISE EXCEPTION 'an approved grant counts against a month''s budget' USING ERRCODE = 'AR141';
    END IF;
    IF v_budget IS NOT NULL THEN
      SELECT coalesce(sum(r.amount_granted), 0) INTO v_committed FROM requests r
       WHERE r.circle_id = NEW.circle_id AND r.budget_month = NEW.budget_month AND r.id <> NEW.id
         AND r.kind = 'grant' AND r.status IN ('approved', 'paid', 'acknowledged');
      IF v_committed + NEW.amount_granted > v_budget THEN
        RAISE EXCEPTION 'the month''s grant budget cannot cover this grant' USING ERRCODE = 'AR143';
      END IF;
    END IF;
    SELECT coalesce(sum(r.amount_granted), 0) INTO v_reserved FROM requests r
     WHERE r.circle_id = NEW.circle_id AND r.id <> NEW.id AND r.kind = 'grant' AND r.status = 'approved';
    SELECT a.debit_total - a.credit_total INTO v_pool FROM ledger_accounts a WHERE a.circle_id = NEW.circle_id AND a.kind = 'pool';
    IF coalesce(v_pool, 0) - v_reserved < NEW.amount_granted THEN
      RAISE EXCEPTION 'the pool, less the grants already approved, cannot cover this grant' USING ERRCODE = 'AR144';
    END IF;
  ELSIF v_threshold IS NOT NULL AND NEW.amount_granted >= v_threshold AND NEW.second_sent_by IS NULL THEN
    RAISE EXCEPTION 'a grant at or above the two-person threshold is sent by two people' USING ERRCODE = 'AR142';
  END IF;
  RETURN NEW;
END
$$`,
  `CREATE TRIGGER requests_guard BEFORE UPDATE OR DELETE ON requests
  FOR EACH ROW EXECUTE FUNCTION requests_guard()`,
];

const GUARDS_DOWN = [
  'DROP TRIGGER requests_guard ON requests',
  'DROP FUNCTION requests_guard()',
  ...appendOnly({ table: 'request_history', code: 'AR140', rule: 'the request history is append-only' }).down,
];

/** One of the receipt functions of …800-Receipts, as written there, to edit or to restore. */
function receiptFunction(name: string): string {
  const found = RECEIPT_FUNCTIONS.find((sql) => sql.includes(`FUNCTION ${name}(`));
  if (!found) throw new Error(`migrations/1790000000800-Receipts.ts no longer defines ${name}`);
  return found.replace(/^CREATE FUNCTION/, 'CREATE OR REPLACE FUNCTION');
}

/** `text` with `find` replaced once; fails loudly if the function it edits has changed shape. */
function edit(text: string, find: string, replacement: string): string {
  if (!text.includes(find)) throw new Error(`receipt function edit: ${JSON.stringify(find.slice(0, 60))} not found`);
  return text.replace(find, () => replacement);
}

const RECEIPTS_UP = (): string[] => [
  // Invariant 8: "category" joins the canonical JSON only on receipts that have one (grants
  // and their reversals), so every receipt published before keeps its bytes and its hash.
  edit(
    receiptFunction('receipt_canonical'),
    `|| ',"circleId":'`,
    `|| CASE WHEN r.category IS NULL THEN '' ELSE ',"category":' || receipt_json_string(r.category) END
      || ',"circleId":'`,
  ),
  // A grant paid publishes one receipt of kind grant with its category (from the posting's
  // metadata, only in its expected shape); its reversal repeats the category.
  edit(
    edit(
      receiptFunction('receipt_drafts'),
      `  WHEN p_transfer.kind = 'reversal' THEN`,
      `  WHEN p_transfer.kind = 'grant' THEN
    d.kind := 'grant';
    d.direction := 'out';
    d.category := CASE WHEN v_meta->>'category' ~ '^[a-z][a-z_]{1,15}$' THEN v_meta->>'category' END;
    IF v_payouts > 0 THEN d.amount := v_payouts; END IF;
    RETURN NEXT d;
  WHEN p_transfer.kind = 'reversal' THEN`,
    ),
    `    d.week := coalesce(d.week, v_reversed.week);`,
    `    d.week := coalesce(d.week, v_reversed.week);
    d.category := v_reversed.category;`,
  ),
  // Invariant 9: a grant's receipt carries the requester's alias only when the circle shows
  // aliases, and then only as a salted digest, the alias kept apart (receipt_aliases, under the
  // request's vault subject id, so erasing the request's private data removes it too).
  edit(
    receiptFunction('ledger_after_post'),
    `  -- A donor who chose to be named`,
    `  IF v_alias IS NULL AND p_transfer.metadata->>'requestId' ~ ${UUID_RE} THEN
    SELECT rq.alias, rq.subject_id INTO v_alias, v_recipient
      FROM requests rq JOIN circles c ON c.id = rq.circle_id
     WHERE rq.id = (p_transfer.metadata->>'requestId')::uuid AND rq.circle_id = p_transfer.circle_id AND c.show_recipient_aliases;
  END IF;
  -- A donor who chose to be named`,
  ),
];

const RECEIPTS_DOWN = (): string[] => ['receipt_canonical', 'receipt_drafts', 'ledger_after_post'].map(receiptFunction);


export class Requests1790000001400 implements MigrationInterface {
  name = 'Requests1790000001400';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "intake_links" ("id" uuid NOT NULL, "circle_id" uuid NOT NULL, "token_hash" character(64) NOT NULL, "max_open_requests" integer, "created_by" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "rotated_at" TIMESTAMP WITH TIME ZONE, "closed_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "uq_intake_links_id_circle" UNIQUE ("id", "circle_id"), CONSTRAINT "ck_intake_links_token_hash" CHECK (token_hash ~ '^[0-9a-f]{64}$'), CONSTRAINT "ck_intake_links_max_open" CHECK (max_open_requests IS NULL OR max_open_requests BETWEEN 1 AND 10000), CONSTRAINT "pk_intake_links" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "idx_intake_links_circle" ON "intake_links"  ("circle_id", "created_at") `);
    await queryRunner.query(`CREATE UNIQUE INDEX "uq_intake_links_token_hash" ON "intake_links"  ("token_hash") `);
    await queryRunner.query(`CREATE TABLE "requests" ("id" uuid NOT NULL, "circle_id" uuid NOT NULL, "subject_id" uuid NOT NULL, "kind" character varying(8) NOT NULL, "category" character varying(16), "amount_asked" bigint, "amount_granted" bigint, "above_asked" boolean NOT NULL DEFAULT false, "currency" character(3) NOT NULL, "alias" character varying(40) NOT NULL, "status" character varying(16) NOT NULL DEFAULT 'submitted', "source" character varying(12) NOT NULL, "opened_by" uuid, "intake_link_id" uuid, "decline_reason" character varying(16), "approved_by" uuid, "second_approved_by" uuid, "budget_month" date, "recipient_id" uuid, "method" character varying(16), "reference_last4" character varying(4), "proof_sha256" character(64), "sent_by" uuid, "second_sent_by" uuid, "transfer_id" uuid, "reversal_transfer_id" uuid, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "status_changed_at" TIMESTAMP WITH TIME ZONE NOT NULL, "decided_at" TIMESTAMP WITH TIME ZONE, "sent_at" TIMESTAMP WITH TIME ZONE, "acknowledged_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "uq_requests_subject" UNIQUE ("subject_id"), CONSTRAINT "uq_requests_id_circle" UNIQUE ("id", "circle_id"), CONSTRAINT "ck_requests_returned_reversed" CHECK ((status = 'returned') = (reversal_transfer_id IS NOT NULL)), CONSTRAINT "ck_requests_paid_posted" CHECK ((status IN ('paid', 'acknowledged', 'returned')) = (transfer_id IS NOT NULL AND method IS NOT NULL AND sent_at IS NOT NULL)), CONSTRAINT "ck_requests_proof_sha256" CHECK (proof_sha256 IS NULL OR proof_sha256 ~ '^[0-9a-f]{64}$'), CONSTRAINT "ck_requests_reference_last4" CHECK (reference_last4 IS NULL OR reference_last4 ~ '^[A-Za-z0-9]{4}$'), CONSTRAINT "ck_requests_method" CHECK (method IS NULL OR method IN ('cash', 'cashapp', 'venmo', 'zelle', 'paypal', 'bank', 'other')), CONSTRAINT "ck_requests_roster_recipient" CHECK ((recipient_id IS NOT NULL) = (kind = 'roster' AND status = 'approved')), CONSTRAINT "ck_requests_second_sender" CHECK (second_sent_by IS NULL OR second_sent_by <> sent_by), CONSTRAINT "ck_requests_not_self_second" CHECK (second_approved_by IS NULL OR (second_approved_by IS DISTINCT FROM opened_by AND second_approved_by <> approved_by)), CONSTRAINT "ck_requests_not_self_approved" CHECK (approved_by IS DISTINCT FROM opened_by OR approved_by IS NULL), CONSTRAINT "ck_requests_decline_reason_list" CHECK (decline_reason IS NULL OR decline_reason IN ('over_budget', 'out_of_scope', 'duplicate', 'no_response', 'not_eligible', 'other')), CONSTRAINT "ck_requests_decline_reason" CHECK ((status = 'declined') = (decline_reason IS NOT NULL)), CONSTRAINT "ck_requests_opener" CHECK ((source = 'intake') = (opened_by IS NULL AND intake_link_id IS NOT NULL)), CONSTRAINT "ck_requests_approved_amount" CHECK (kind <> 'grant' OR status NOT IN ('approved', 'paid', 'acknowledged', 'cancelled', 'returned') OR amount_granted IS NOT NULL), CONSTRAINT "ck_requests_amount_granted" CHECK (amount_granted IS NULL OR (kind = 'grant' AND amount_granted > 0 AND (amount_granted <= amount_asked OR above_asked))), CONSTRAINT "ck_requests_amount_asked" CHECK (amount_asked IS NULL OR amount_asked > 0), CONSTRAINT "ck_requests_category" CHECK (category IS NULL OR category IN ('rent', 'medical', 'food', 'utilities', 'transport', 'childcare', 'other')), CONSTRAINT "ck_requests_grant_fields" CHECK ((kind = 'grant') = (category IS NOT NULL AND amount_asked IS NOT NULL)), CONSTRAINT "ck_requests_alias" CHECK (char_length(alias) BETWEEN 1 AND 40), CONSTRAINT "ck_requests_source" CHECK (source IN ('referral', 'organizer', 'intake')), CONSTRAINT "ck_requests_kind" CHECK (kind IN ('grant', 'roster')), CONSTRAINT "ck_requests_status" CHECK (status IN ('submitted', 'in_review', 'approved', 'paid', 'acknowledged', 'declined', 'withdrawn', 'cancelled', 'returned')), CONSTRAINT "pk_requests" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "idx_requests_intake_link_status" ON "requests"  ("intake_link_id", "status") `);
    await queryRunner.query(`CREATE INDEX "idx_requests_circle_budget_month" ON "requests"  ("circle_id", "budget_month") `);
    await queryRunner.query(`CREATE INDEX "idx_requests_circle_created" ON "requests"  ("circle_id", "created_at", "id") `);
    await queryRunner.query(`CREATE TABLE "person_links" ("id" uuid NOT NULL, "circle_id" uuid NOT NULL, "token_hash" character(64) NOT NULL, "request_id" uuid, "recipient_id" uuid, "created_by" uuid, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "revoked_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "ck_person_links_token_hash" CHECK (token_hash ~ '^[0-9a-f]{64}$'), CONSTRAINT "ck_person_links_target" CHECK ((request_id IS NULL) <> (recipient_id IS NULL)), CONSTRAINT "pk_person_links" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE UNIQUE INDEX "uq_person_links_live_recipient" ON "person_links"  ("recipient_id") WHERE revoked_at IS NULL AND recipient_id IS NOT NULL`);
    await queryRunner.query(`CREATE UNIQUE INDEX "uq_person_links_live_request" ON "person_links"  ("request_id") WHERE revoked_at IS NULL AND request_id IS NOT NULL`);
    await queryRunner.query(`CREATE UNIQUE INDEX "uq_person_links_token_hash" ON "person_links"  ("token_hash") `);
    await queryRunner.query(`CREATE TABLE "request_history" ("id" bigint GENERATED ALWAYS AS IDENTITY NOT NULL, "circle_id" uuid NOT NULL, "request_id" uuid NOT NULL, "event" character varying(24) NOT NULL DEFAULT 'status_change', "from_status" character varying(16), "to_status" character varying(16) NOT NULL, "actor_user_id" uuid, "at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "ck_request_history_change" CHECK ((event = 'status_change') = (from_status IS DISTINCT FROM to_status)), CONSTRAINT "ck_request_history_event" CHECK (event IN ('status_change', 'first_approval', 'send_requested', 'link_issued', 'link_revoked', 'private_updated', 'private_erased', 'attachment_added')), CONSTRAINT "ck_request_history_to_status" CHECK (to_status IN ('submitted', 'in_review', 'approved', 'paid', 'acknowledged', 'declined', 'withdrawn', 'cancelled', 'returned')), CONSTRAINT "pk_request_history" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "idx_request_history_circle_at" ON "request_history"  ("circle_id", "at") `);
    await queryRunner.query(`CREATE INDEX "idx_request_history_request" ON "request_history"  ("request_id", "id") `);
    await queryRunner.query(`CREATE TABLE "request_settings" ("circle_id" uuid NOT NULL, "grant_budget_monthly" bigint, "two_person_threshold" bigint, "attachments_enabled" boolean NOT NULL DEFAULT false, "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "ck_request_settings_threshold" CHECK (two_person_threshold IS NULL OR two_person_threshold > 0), CONSTRAINT "ck_request_settings_budget" CHECK (grant_budget_monthly IS NULL OR grant_budget_monthly > 0), CONSTRAINT "pk_request_settings" PRIMARY KEY ("circle_id"))`);
    await queryRunner.query(`ALTER TABLE "receipts" ADD "category" character varying(16)`);
    await queryRunner.query(`ALTER TABLE "receipts" ADD CONSTRAINT "ck_receipts_category" CHECK (category ~ '^[a-z][a-z_]{1,15}$')`);
    await queryRunner.query(`ALTER TABLE "intake_links" ADD CONSTRAINT "fk_intake_links_circle" FOREIGN KEY ("circle_id") REFERENCES "circles"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "requests" ADD CONSTRAINT "fk_requests_circle" FOREIGN KEY ("circle_id") REFERENCES "circles"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "requests" ADD CONSTRAINT "fk_requests_reversal_transfer" FOREIGN KEY ("reversal_transfer_id", "circle_id") REFERENCES "ledger_transfers"("id","circle_id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "requests" ADD CONSTRAINT "fk_requests_transfer" FOREIGN KEY ("transfer_id", "circle_id") REFERENCES "ledger_transfers"("id","circle_id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "requests" ADD CONSTRAINT "fk_requests_intake_link" FOREIGN KEY ("intake_link_id", "circle_id") REFERENCES "intake_links"("id","circle_id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "person_links" ADD CONSTRAINT "fk_person_links_circle" FOREIGN KEY ("circle_id") REFERENCES "circles"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "person_links" ADD CONSTRAINT "fk_person_links_recipient" FOREIGN KEY ("recipient_id") REFERENCES "recipients"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "person_links" ADD CONSTRAINT "fk_person_links_request" FOREIGN KEY ("request_id", "circle_id") REFERENCES "requests"("id","circle_id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "request_history" ADD CONSTRAINT "fk_request_history_request" FOREIGN KEY ("request_id", "circle_id") REFERENCES "requests"("id","circle_id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "request_settings" ADD CONSTRAINT "fk_request_settings_circle" FOREIGN KEY ("circle_id") REFERENCES "circles"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    for (const sql of GUARDS_UP) await queryRunner.query(sql);
    for (const sql of RECEIPTS_UP()) await queryRunner.query(sql);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const sql of RECEIPTS_DOWN()) await queryRunner.query(sql);
    for (const sql of GUARDS_DOWN) await queryRunner.query(sql);
    await queryRunner.query(`ALTER TABLE "request_settings" DROP CONSTRAINT "fk_request_settings_circle"`);
    await queryRunner.query(`ALTER TABLE "request_history" DROP CONSTRAINT "fk_request_history_request"`);
    await queryRunner.query(`ALTER TABLE "person_links" DROP CONSTRAINT "fk_person_links_request"`);
    await queryRunner.query(`ALTER TABLE "person_links" DROP CONSTRAINT "fk_person_links_recipient"`);
    await queryRunner.query(`ALTER TABLE "person_links" DROP CONSTRAINT "fk_person_links_circle"`);
    await queryRunner.query(`ALTER TABLE "requests" DROP CONSTRAINT "fk_requests_intake_link"`);
    await queryRunner.query(`ALTER TABLE "requests" DROP CONSTRAINT "fk_requests_transfer"`);
    await queryRunner.query(`ALTER TABLE "requests" DROP CONSTRAINT "fk_requests_reversal_transfer"`);
    await queryRunner.query(`ALTER TABLE "requests" DROP CONSTRAINT "fk_requests_circle"`);
    await queryRunner.query(`ALTER TABLE "intake_links" DROP CONSTRAINT "fk_intake_links_circle"`);
    await queryRunner.query(`ALTER TABLE "receipts" DROP CONSTRAINT "ck_receipts_category"`);
    await queryRunner.query(`ALTER TABLE "receipts" DROP COLUMN "category"`);
    await queryRunner.query(`DROP TABLE "request_settings"`);
    await queryRunner.query(`DROP INDEX "public"."idx_request_history_request"`);
    await queryRunner.query(`DROP INDEX "public"."idx_request_history_circle_at"`);
    await queryRunner.query(`DROP TABLE "request_history"`);
    await queryRunner.query(`DROP INDEX "public"."uq_person_links_token_hash"`);
    await queryRunner.query(`DROP INDEX "public"."uq_person_links_live_request"`);
    await queryRunner.query(`DROP INDEX "public"."uq_person_links_live_recipient"`);
    await queryRunner.query(`DROP TABLE "person_links"`);
    await queryRunner.query(`DROP INDEX "public"."idx_requests_circle_created"`);
    await queryRunner.query(`DROP INDEX "public"."idx_requests_circle_budget_month"`);
    await queryRunner.query(`DROP INDEX "public"."idx_requests_intake_link_status"`);
    await queryRunner.query(`DROP TABLE "requests"`);
    await queryRunner.query(`DROP INDEX "public"."uq_intake_links_token_hash"`);
    await queryRunner.query(`DROP INDEX "public"."idx_intake_links_circle"`);
    await queryRunner.query(`DROP TABLE "intake_links"`);
  }
}
