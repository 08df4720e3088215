import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Receipts (issue 6): every posting appends its receipts to its circle's hash chain in the
 * posting's own statement (DESIGN.md: "a posting writes its receipt in the same
 * transaction"). The tables come from src/ledger/receipt*.entity.ts; the functions and
 * guards below are what TypeORM cannot model. The canonical JSON that is hashed is
 * specified in docs/receipts.md; src/ledger/receipt-canonical.ts is its JavaScript twin.
 */
const ZERO_HASH = `'\\x${'00'.repeat(32)}'::bytea`;
const UUID_RE = `'^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$'`;

export const FUNCTIONS_UP = [
  // A JSON string, or null: PostgreSQL escapes exactly as RFC 8785 / JSON.stringify do
  // (", \\, \b \f \n \r \t, other controls as \u00xx, everything else as is). STABLE like
  // to_json itself, so PostgreSQL inlines it (an IMMUTABLE wrapper around it would not be).
  `CREATE FUNCTION receipt_json_string(p_value text) RETURNS text LANGUAGE sql STABLE PARALLEL SAFE AS $$
  SELECT coalesce(to_json(p_value)::text, 'null')
$$`,

  // Invariant 8: the canonical bytes of a receipt. Keys sorted, no whitespace, integers as
  // JSON numbers, every key present (null when it does not apply). docs/receipts.md.
  `CREATE FUNCTION receipt_canonical(r receipts) RETURNS text LANGUAGE sql STABLE PARALLEL SAFE AS $$
  SELECT '{"aliasDigest":' || receipt_json_string(encode(r.alias_digest, 'hex'))
      || ',"amount":' || r.amount::text
      || ',"circleId":' || receipt_json_string(r.circle_id::text)
      || ',"currency":' || receipt_json_string(r.currency::text)
      || ',"cycleId":' || receipt_json_string(r.cycle_id::text)
      || ',"date":' || receipt_json_string(to_char(r.date, 'YYYY-MM-DD'))
      || ',"direction":' || receipt_json_string(r.direction)
      || ',"donor":' || receipt_json_string(r.donor)
      || ',"donorDigest":' || receipt_json_string(encode(r.donor_digest, 'hex'))
      || ',"id":' || receipt_json_string(r.id::text)
      || ',"kind":' || receipt_json_string(r.kind)
      || ',"method":' || receipt_json_string(r.method)
      || ',"reverses":' || receipt_json_string(r.reverses::text)
      || ',"seq":' || r.seq::text
      || ',"week":' || coalesce(r.week::text, 'null')
      || '}'
$$`,

  // What a transfer publishes, as receipts without their chain fields (id, seq, hashes) and
  // without the alias digest (ledger_after_post adds it).
  // p_entries: its entries as ledger_post wrote them ([{account, amount}], amounts as JSON
  // strings or numbers), so the entries need not be read back. Reads (never writes) the
  // circle's settings and the day a contribution was received: callers keep personal data
  // out of ledger metadata.
  `CREATE FUNCTION receipt_drafts(p_transfer ledger_transfers, p_entries jsonb) RETURNS SETOF receipts LANGUAGE plpgsql STABLE AS $$
DECLARE
  v_meta jsonb := p_transfer.metadata;
  v_tz text;
  v_pool bigint;
  v_contributions bigint;
  v_payouts bigint;
  v_fees bigint;
  v_received date;
  v_contribution_method text;
  v_reversed receipts%ROWTYPE;
  d receipts%ROWTYPE;
BEGIN
  SELECT c.timezone, c.currency INTO v_tz, d.currency FROM circles c WHERE c.id = p_transfer.circle_id;
  SELECT coalesce(sum(e.amount) FILTER (WHERE e.account = 'pool'), 0),
         coalesce(sum(e.amount) FILTER (WHERE e.account = 'contributions'), 0),
         coalesce(sum(e.amount) FILTER (WHERE e.account = 'payouts'), 0),
         coalesce(sum(e.amount) FILTER (WHERE e.account = 'fees'), 0),
         coalesce(sum(e.amount) FILTER (WHERE e.amount > 0), 0)
    INTO v_pool, v_contributions, v_payouts, v_fees, d.amount
    FROM (SELECT x->>'account' AS account, (x->>'amount')::bigint AS amount FROM jsonb_array_elements(p_entries) AS x) e;

  d.circle_id := p_transfer.circle_id;
  d.transfer_id := p_transfer.id;
  d.date := (p_transfer.created_at AT TIME ZONE v_tz)::date;
  d.direction := CASE WHEN v_pool > 0 THEN 'in' WHEN v_pool < 0 THEN 'out' END;
  d.method := CASE WHEN v_meta->>'method' ~ '^[a-z][a-z_]{0,15}$' THEN v_meta->>'method' END;
  d.cycle_id := CASE WHEN v_meta->>'cycleId' ~ ${UUID_RE} THEN (v_meta->>'cycleId')::uuid END;
  d.week := CASE WHEN jsonb_typeof(v_meta->'week') = 'number' AND v_meta->>'week' ~ '^[1-9][0-9]{0,3}$' THEN (v_meta->>'week')::smallint END;
  IF v_meta->>'contributionId' ~ ${UUID_RE} THEN
    SELECT c.received_on, c.method INTO v_received, v_contribution_method
      FROM contributions c WHERE c.id = (v_meta->>'contributionId')::uuid AND c.circle_id = p_transfer.circle_id;
  END IF;

  CASE
  WHEN p_transfer.kind = 'payout' THEN
    d.kind := 'payout';
    d.direction := 'out';
    IF v_payouts > 0 THEN d.amount := v_payouts; END IF;
    RETURN NEXT d;
  WHEN p_transfer.kind = 'contribution' THEN
    -- A card payment with a fee: one receipt for the gross received, one for the fee.
    d.kind := 'contribution';
    d.direction := 'in';
    d.donor := 'a neighbour';
    d.date := coalesce(v_received, d.date);
    d.method := coalesce(d.method, v_contribution_method);
    IF v_contributions < 0 THEN d.amount := -v_contributions; END IF;
    RETURN NEXT d;
    IF v_fees > 0 THEN
      d.kind := 'fee';
      d.direction := 'out';
      d.donor := NULL;
      d.amount := v_fees;
      RETURN NEXT d;
    END IF;
  WHEN p_transfer.kind IN ('contribution_refund', 'contribution_dispute') THEN
    d.kind := CASE p_transfer.kind WHEN 'contribution_refund' THEN 'refund' ELSE 'dispute' END;
    d.direction := 'out';
    d.donor := 'a neighbour';
    d.method := coalesce(d.method, v_contribution_method);
    IF v_contributions > 0 THEN d.amount := v_contributions; END IF;
    RETURN NEXT d;
    IF v_fees > 0 THEN
      d.kind := 'fee';
      d.donor := NULL;
      d.amount := v_fees;
      RETURN NEXT d;
    END IF;
  WHEN p_transfer.kind = 'reversal' THEN
    SELECT * INTO v_reversed FROM receipts x WHERE x.transfer_id = p_transfer.reverses ORDER BY x.seq LIMIT 1;
    d.kind := 'reversal';
    d.reverses := v_reversed.id;
    d.cycle_id := coalesce(d.cycle_id, v_reversed.cycle_id);
    d.week := coalesce(d.week, v_reversed.week);
    RETURN NEXT d;
  WHEN p_transfer.kind = 'adjustment' THEN
    d.kind := 'adjustment';
    IF v_meta->>'direction' IN ('in', 'out') THEN d.direction := v_meta->>'direction'; END IF;
    RETURN NEXT d;
  ELSE
    d.kind := p_transfer.kind;
    RETURN NEXT d;
  END CASE;
END
$$`,

  // Replaces the no-op hook of …330-LedgerPosting: appends the transfer's receipts to the
  // circle's chain. The head row was locked when the transfer was inserted
  // (receipts_lock_head), so it is read without locking it again, and sequence numbers are
  // gap-free under concurrent postings. Only the backfill below finds no head row.
  `CREATE OR REPLACE FUNCTION ledger_after_post(p_transfer ledger_transfers, p_entries jsonb) RETURNS jsonb LANGUAGE plpgsql AS $$
DECLARE
  v_seq bigint;
  v_hash bytea;
  v_alias text;
  v_recipient uuid;
  v_salt bytea;
  v_donor_name text;
  v_donor uuid;
  v_donor_salt bytea;
  r receipts%ROWTYPE;
  v_written jsonb := '[]'::jsonb;
BEGIN
  SELECT h.seq, h.hash INTO v_seq, v_hash FROM receipt_heads h WHERE h.circle_id = p_transfer.circle_id;
  IF NOT FOUND THEN
    INSERT INTO receipt_heads (circle_id, seq, hash) VALUES (p_transfer.circle_id, 0, ${ZERO_HASH});
    v_seq := 0;
    v_hash := ${ZERO_HASH};
  END IF;
  -- Invariant 9: an alias only when the circle shows them at posting time, never an id; and
  -- only as a salted digest in the chain, the alias itself kept apart until erasure.
  IF p_transfer.metadata->>'payoutId' ~ ${UUID_RE} THEN
    SELECT rc.alias, rc.id INTO v_alias, v_recipient
      FROM payouts p JOIN recipients rc ON rc.id = p.recipient_id JOIN circles c ON c.id = p.circle_id
     WHERE p.id = (p_transfer.metadata->>'payoutId')::uuid AND p.circle_id = p_transfer.circle_id AND c.show_recipient_aliases;
  END IF;
  -- A donor who chose to be named in this circle, on the receipts of their contribution (its
  -- refund or dispute too): again only as a salted digest, the name kept apart until withdrawn.
  IF p_transfer.metadata->>'contributionId' ~ ${UUID_RE} THEN
    SELECT ch.name, ch.user_id INTO v_donor_name, v_donor
      FROM contributions c JOIN receipt_name_choices ch ON ch.circle_id = c.circle_id AND ch.user_id = c.donor_user_id
     WHERE c.id = (p_transfer.metadata->>'contributionId')::uuid AND c.circle_id = p_transfer.circle_id;
  END IF;
  FOR r IN SELECT * FROM receipt_drafts(p_transfer, p_entries) LOOP
    r.id := gen_random_uuid();
    r.seq := v_seq + 1;
    r.prev_hash := v_hash;
    IF v_alias IS NOT NULL THEN
      v_salt := uuid_send(gen_random_uuid());
      r.alias_digest := sha256(v_salt || convert_to(v_alias, 'UTF8'));
    END IF;
    v_donor_salt := NULL;
    IF v_donor_name IS NOT NULL AND r.donor IS NOT NULL THEN
      v_donor_salt := uuid_send(gen_random_uuid());
      r.donor := NULL;
      r.donor_digest := sha256(v_donor_salt || convert_to(v_donor_name, 'UTF8'));
    END IF;
    -- Invariant 8: hash(n) = SHA-256(hash(n-1) || canonical bytes of receipt n).
    r.hash := sha256(v_hash || convert_to(receipt_canonical(r), 'UTF8'));
    INSERT INTO receipts SELECT (r).*;
    IF v_alias IS NOT NULL THEN
      INSERT INTO receipt_aliases (receipt_id, circle_id, recipient_id, alias, salt) VALUES (r.id, r.circle_id, v_recipient, v_alias, v_salt);
    END IF;
    IF v_donor_salt IS NOT NULL THEN
      INSERT INTO receipt_donor_names (receipt_id, circle_id, user_id, name, salt) VALUES (r.id, r.circle_id, v_donor, v_donor_name, v_donor_salt);
    END IF;
    v_seq := r.seq;
    v_hash := r.hash;
    v_written := v_written || jsonb_build_array(jsonb_build_object('id', r.id, 'seq', r.seq, 'kind', r.kind, 'amount', r.amount::text, 'hash', encode(r.hash, 'hex')));
  END LOOP;
  UPDATE receipt_heads SET seq = v_seq, hash = v_hash WHERE circle_id = p_transfer.circle_id;
  RETURN v_written;
END
$$`,

  // Taken before the posting locks its accounts, so every posting of a circle locks in the
  // same order (head, then accounts by id) and a transaction with several postings cannot
  // deadlock with another on the head.
  `CREATE FUNCTION receipts_lock_head() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM FROM receipt_heads h WHERE h.circle_id = NEW.circle_id FOR UPDATE;
  IF NOT FOUND THEN
    INSERT INTO receipt_heads (circle_id, seq, hash) VALUES (NEW.circle_id, 0, ${ZERO_HASH}) ON CONFLICT (circle_id) DO NOTHING;
    PERFORM FROM receipt_heads h WHERE h.circle_id = NEW.circle_id FOR UPDATE;
  END IF;
  RETURN NEW;
END
$$`,
  `CREATE TRIGGER ledger_transfers_lock_receipt_head BEFORE INSERT ON ledger_transfers
  FOR EACH ROW EXECUTE FUNCTION receipts_lock_head()`,

  // Invariant 8: a published receipt is never changed or removed; a head only moves forward.
  `CREATE TRIGGER receipts_append_only BEFORE UPDATE OR DELETE ON receipts
  FOR EACH ROW EXECUTE FUNCTION ledger_forbid_change()`,
  `CREATE TRIGGER receipts_no_truncate BEFORE TRUNCATE ON receipts
  FOR EACH STATEMENT EXECUTE FUNCTION ledger_forbid_change()`,
  `CREATE TRIGGER receipt_heads_no_delete BEFORE DELETE ON receipt_heads
  FOR EACH ROW EXECUTE FUNCTION ledger_forbid_change()`,
  `CREATE TRIGGER receipt_heads_no_truncate BEFORE TRUNCATE ON receipt_heads
  FOR EACH STATEMENT EXECUTE FUNCTION ledger_forbid_change()`,
  `CREATE TRIGGER receipt_heads_forward_only BEFORE UPDATE ON receipt_heads
  FOR EACH ROW WHEN (NEW.circle_id <> OLD.circle_id OR NEW.seq <= OLD.seq) EXECUTE FUNCTION ledger_forbid_change()`,
];

// No posting without its receipt: transfers posted before this migration get theirs now,
// in posting order (a reversal after the transfer it reverses), with today's settings.
const BACKFILL = `DO $$
DECLARE
  t ledger_transfers%ROWTYPE;
BEGIN
  FOR t IN SELECT * FROM ledger_transfers ORDER BY created_at, (reverses IS NOT NULL), id LOOP
    PERFORM ledger_after_post(t, (SELECT jsonb_agg(jsonb_build_object('account', a.kind, 'amount', e.amount))
                                    FROM ledger_entries e JOIN ledger_accounts a ON a.id = e.account_id
                                   WHERE e.transfer_id = t.id));
  END LOOP;
END
$$`;

const FUNCTIONS_DOWN = [
  'DROP TRIGGER receipt_heads_forward_only ON receipt_heads',
  'DROP TRIGGER receipt_heads_no_truncate ON receipt_heads',
  'DROP TRIGGER receipt_heads_no_delete ON receipt_heads',
  'DROP TRIGGER receipts_no_truncate ON receipts',
  'DROP TRIGGER receipts_append_only ON receipts',
  'DROP TRIGGER ledger_transfers_lock_receipt_head ON ledger_transfers',
  'DROP FUNCTION receipts_lock_head()',
  // Back to the no-op hook, exactly as …330-LedgerPosting wrote it.
  `CREATE OR REPLACE FUNCTION ledger_after_post(p_transfer ledger_transfers, p_entries jsonb) RETURNS jsonb LANGUAGE sql AS $$
  SELECT NULL::jsonb
$$`,
  'DROP FUNCTION receipt_drafts(ledger_transfers, jsonb)',
  'DROP FUNCTION receipt_canonical(receipts)',
  'DROP FUNCTION receipt_json_string(text)',
];

export class Receipts1790000000800 implements MigrationInterface {
  name = 'Receipts1790000000800';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "receipt_heads" ("circle_id" uuid NOT NULL, "seq" bigint NOT NULL, "hash" bytea NOT NULL, CONSTRAINT "ck_receipt_heads_hash" CHECK (octet_length(hash) = 32), CONSTRAINT "ck_receipt_heads_seq" CHECK (seq >= 0), CONSTRAINT "pk_receipt_heads" PRIMARY KEY ("circle_id"))`);
    await queryRunner.query(`CREATE TABLE "receipts" ("id" uuid NOT NULL, "circle_id" uuid NOT NULL, "seq" bigint NOT NULL, "transfer_id" uuid NOT NULL, "kind" character varying(40) NOT NULL, "amount" bigint NOT NULL, "currency" character(3) NOT NULL, "direction" character varying(3), "method" character varying(16), "date" date NOT NULL, "cycle_id" uuid, "week" smallint, "alias_digest" bytea, "donor" character varying(40), "donor_digest" bytea, "reverses" uuid, "prev_hash" bytea NOT NULL, "hash" bytea NOT NULL, CONSTRAINT "uq_receipts_circle_seq" UNIQUE ("circle_id", "seq"), CONSTRAINT "ck_receipts_alias_digest" CHECK (octet_length(alias_digest) = 32), CONSTRAINT "ck_receipts_donor_digest" CHECK (octet_length(donor_digest) = 32), CONSTRAINT "ck_receipts_hashes" CHECK (octet_length(prev_hash) = 32 AND octet_length(hash) = 32), CONSTRAINT "ck_receipts_week" CHECK (week >= 1), CONSTRAINT "ck_receipts_direction" CHECK (direction IN ('in', 'out')), CONSTRAINT "ck_receipts_amount" CHECK (amount > 0 AND amount <= 9007199254740991), CONSTRAINT "ck_receipts_kind" CHECK (kind ~ '^[a-z][a-z_]{1,39}$'), CONSTRAINT "ck_receipts_seq_positive" CHECK (seq >= 1), CONSTRAINT "pk_receipts" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "idx_receipts_transfer" ON "receipts"  ("transfer_id") `);
    await queryRunner.query(`CREATE TABLE "receipt_aliases" ("receipt_id" uuid NOT NULL, "circle_id" uuid NOT NULL, "recipient_id" uuid NOT NULL, "alias" character varying(40) NOT NULL, "salt" bytea NOT NULL, CONSTRAINT "ck_receipt_aliases_salt" CHECK (octet_length(salt) = 16), CONSTRAINT "pk_receipt_aliases" PRIMARY KEY ("receipt_id"))`);
    await queryRunner.query(`CREATE INDEX "idx_receipt_aliases_recipient" ON "receipt_aliases"  ("recipient_id") `);
    await queryRunner.query(`ALTER TABLE "receipt_aliases" ADD CONSTRAINT "fk_receipt_aliases_receipt" FOREIGN KEY ("receipt_id") REFERENCES "receipts"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(`CREATE TABLE "receipt_donor_names" ("receipt_id" uuid NOT NULL, "circle_id" uuid NOT NULL, "user_id" uuid NOT NULL, "name" character varying(40) NOT NULL, "salt" bytea NOT NULL, CONSTRAINT "ck_receipt_donor_names_salt" CHECK (octet_length(salt) = 16), CONSTRAINT "pk_receipt_donor_names" PRIMARY KEY ("receipt_id"))`);
    await queryRunner.query(`CREATE INDEX "idx_receipt_donor_names_user" ON "receipt_donor_names"  ("user_id", "circle_id") `);
    await queryRunner.query(`ALTER TABLE "receipt_donor_names" ADD CONSTRAINT "fk_receipt_donor_names_receipt" FOREIGN KEY ("receipt_id") REFERENCES "receipts"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(`CREATE TABLE "receipt_name_choices" ("circle_id" uuid NOT NULL, "user_id" uuid NOT NULL, "name" character varying(40) NOT NULL, "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "pk_receipt_name_choices" PRIMARY KEY ("circle_id", "user_id"))`);
    await queryRunner.query(`ALTER TABLE "receipts" ADD CONSTRAINT "fk_receipts_reverses" FOREIGN KEY ("reverses") REFERENCES "receipts"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "receipts" ADD CONSTRAINT "fk_receipts_transfer" FOREIGN KEY ("transfer_id", "circle_id") REFERENCES "ledger_transfers"("id","circle_id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    for (const sql of FUNCTIONS_UP) await queryRunner.query(sql);
    await queryRunner.query(BACKFILL);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const sql of FUNCTIONS_DOWN) await queryRunner.query(sql);
    await queryRunner.query(`DROP TABLE "receipt_name_choices"`);
    await queryRunner.query(`ALTER TABLE "receipt_donor_names" DROP CONSTRAINT "fk_receipt_donor_names_receipt"`);
    await queryRunner.query(`DROP INDEX "public"."idx_receipt_donor_names_user"`);
    await queryRunner.query(`DROP TABLE "receipt_donor_names"`);
    await queryRunner.query(`ALTER TABLE "receipt_aliases" DROP CONSTRAINT "fk_receipt_aliases_receipt"`);
    await queryRunner.query(`DROP INDEX "public"."idx_receipt_aliases_recipient"`);
    await queryRunner.query(`DROP TABLE "receipt_aliases"`);
    await queryRunner.query(`ALTER TABLE "receipts" DROP CONSTRAINT "fk_receipts_transfer"`);
    await queryRunner.query(`ALTER TABLE "receipts" DROP CONSTRAINT "fk_receipts_reverses"`);
    await queryRunner.query(`DROP INDEX "public"."idx_receipts_transfer"`);
    await queryRunner.query(`DROP TABLE "receipts"`);
    await queryRunner.query(`DROP TABLE "receipt_heads"`);
  }
}
