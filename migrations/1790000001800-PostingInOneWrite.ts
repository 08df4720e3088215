import type { MigrationInterface, QueryRunner } from 'typeorm';

// A money request can send its last statements together with COMMIT (docs/idempotency.md,
// "A record that names a transfer"; docs/performance.md):
// - outbox_append: the one statement that appends an event (src/events/events.service.ts
//   calls it, and so does the function below), taking the circle's next event number.
// - ledger_publish_receipts: appends receipt.published for every receipt a posting document
//   lists, in chain order, and returns the document. The app wraps ledger_post and
//   ledger_reverse in it, so a posting and its events are one statement whose answer nobody
//   has to wait for before committing.
// - circle_single_amount_limit / ledger_require_within_limit: the circle's single-amount
//   limit (docs/ledger.md, "Amount limits"), computed here only, so a check of it can be sent
//   ahead of the posting in the same write and abort the transaction (AR011) instead of being
//   read, judged in the app and answered before COMMIT.
// - idempotency_keys.response_transfer_id: a record may name the transfer its request created
//   instead of holding the response body; a replay renders that transfer as the first answer
//   did. Exactly one of the two is set.

const OUTBOX_APPEND = `CREATE FUNCTION outbox_append(p_circle_id uuid, p_id uuid, p_type text, p_data jsonb, p_at timestamptz) RETURNS bigint
LANGUAGE sql AS $$
  WITH head AS (
    INSERT INTO outbox_heads AS h (circle_id, sequence) VALUES (p_circle_id, 1)
    ON CONFLICT (circle_id) DO UPDATE SET sequence = h.sequence + 1
    RETURNING sequence
  )
  INSERT INTO outbox_events (id, circle_id, sequence, type, data, occurred_at)
  SELECT p_id, p_circle_id, head.sequence, p_type, p_data, p_at FROM head
  RETURNING sequence
$$`;

// The payload is event-map.ts's 'receipt.published'; the time is the posting's, to the
// millisecond as the app's events carry it.
const PUBLISH = `CREATE FUNCTION ledger_publish_receipts(p_doc jsonb) RETURNS jsonb LANGUAGE plpgsql AS $$
DECLARE
  r jsonb;
BEGIN
  -- A repeated transfer id returns the original with "receipt": null, and publishes nothing again.
  FOR r IN SELECT e FROM jsonb_array_elements(CASE WHEN jsonb_typeof(p_doc->'receipt') = 'array' THEN p_doc->'receipt' ELSE '[]'::jsonb END) AS e LOOP
    PERFORM outbox_append((p_doc->>'circleId')::uuid, gen_random_uuid(), 'receipt.published',
      jsonb_build_object('receiptId', r->>'id', 'sequence', (r->>'seq')::bigint, 'kind', r->>'kind',
                         'amount', (r->>'amount')::bigint, 'hash', r->>'hash', 'transferId', p_doc->>'id'),
      date_trunc('milliseconds', (p_doc->>'createdAt')::timestamptz));
  END LOOP;
  RETURN p_doc;
END
$$`;

// The circle's setting; else ten weeks of its active cycle's payouts (amount × slots × 10);
// else 1,000,000 minor units; never above 2^53 − 1. NULL for a circle that does not exist.
const LIMIT = `CREATE FUNCTION circle_single_amount_limit(p_circle_id uuid) RETURNS bigint LANGUAGE sql STABLE AS $$
  SELECT least(coalesce(c.max_single_amount::numeric, y.amount::numeric * y.slots * 10, 1000000), 9007199254740991)::bigint
    FROM circles c
    LEFT JOIN LATERAL (SELECT amount, slots FROM cycles WHERE circle_id = c.id AND status = 'active' ORDER BY activated_at DESC LIMIT 1) y ON true
   WHERE c.id = p_circle_id
$$`;

// Refuses an amount above the limit; the limit travels in DETAIL for the app's problem.
const REQUIRE_WITHIN = `CREATE FUNCTION ledger_require_within_limit(p_circle_id uuid, p_amount bigint) RETURNS void LANGUAGE plpgsql STABLE AS $$
DECLARE
  v_limit bigint := circle_single_amount_limit(p_circle_id);
BEGIN
  IF p_amount > v_limit THEN
    RAISE EXCEPTION 'an amount of % is above the circle''s single-amount limit', p_amount USING ERRCODE = 'AR011', DETAIL = v_limit::text;
  END IF;
END
$$`;

export class PostingInOneWrite1790000001800 implements MigrationInterface {
  name = 'PostingInOneWrite1790000001800';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(OUTBOX_APPEND);
    await queryRunner.query(PUBLISH);
    await queryRunner.query(LIMIT);
    await queryRunner.query(REQUIRE_WITHIN);
    await queryRunner.query(`ALTER TABLE "idempotency_keys" ALTER COLUMN "response_body" DROP NOT NULL`);
    await queryRunner.query(`ALTER TABLE "idempotency_keys" ADD "response_transfer_id" uuid`);
    await queryRunner.query(`ALTER TABLE "idempotency_keys" ADD CONSTRAINT "ck_idempotency_keys_response" CHECK (num_nonnulls(response_body, response_transfer_id) = 1)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DELETE FROM "idempotency_keys" WHERE "response_body" IS NULL`);
    await queryRunner.query(`ALTER TABLE "idempotency_keys" DROP CONSTRAINT "ck_idempotency_keys_response"`);
    await queryRunner.query(`ALTER TABLE "idempotency_keys" DROP COLUMN "response_transfer_id"`);
    await queryRunner.query(`ALTER TABLE "idempotency_keys" ALTER COLUMN "response_body" SET NOT NULL`);
    await queryRunner.query('DROP FUNCTION ledger_require_within_limit(uuid, bigint)');
    await queryRunner.query('DROP FUNCTION circle_single_amount_limit(uuid)');
    await queryRunner.query('DROP FUNCTION ledger_publish_receipts(jsonb)');
    await queryRunner.query('DROP FUNCTION outbox_append(uuid, uuid, text, jsonb, timestamptz)');
  }
}
