import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Posting in one round trip (docs/design.md "Money"): `ledger_post` and
 * `ledger_reverse`, and `ledger_open_accounts` for a new circle. src/ledger/ledger.service.ts
 * is the only caller in the application.
 */
const UP = [
  `CREATE FUNCTION ledger_kind_rank(p_kind text) RETURNS int LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT array_position(ARRAY['pool', 'clearing', 'contributions', 'payouts', 'fees', 'adjustments'], p_kind)
$$`,

  // Opening twice is harmless, so a retried circle creation cannot fail here.
  `CREATE FUNCTION ledger_open_accounts(p_circle_id uuid) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM circles c WHERE c.id = p_circle_id) THEN
    RAISE EXCEPTION 'no circle %', p_circle_id USING ERRCODE = 'AR006';
  END IF;
  INSERT INTO ledger_accounts (id, circle_id, kind, currency)
  SELECT gen_random_uuid(), c.id, k.kind, c.currency
    FROM circles c
   CROSS JOIN unnest(ARRAY['pool', 'clearing', 'contributions', 'payouts', 'fees', 'adjustments']) AS k(kind)
   WHERE c.id = p_circle_id
  ON CONFLICT (circle_id, kind) DO NOTHING;
END
$$`,

  // Extension point, run inside every new posting after its entries are written, with the
  // entries as ledger_post returns them (so the hook need not read them back). Receipts
  // replace it with CREATE OR REPLACE to append the transfer's receipt to the
  // circle's chain in the same transaction; what it returns reaches the caller as "receipt".
  `CREATE FUNCTION ledger_after_post(p_transfer ledger_transfers, p_entries jsonb) RETURNS jsonb LANGUAGE sql AS $$
  SELECT NULL::jsonb
$$`,

  // A transfer and its entries as one document. Amounts, versions and balances are strings
  // so bigint values survive JSON parsing exactly.
  `CREATE FUNCTION ledger_transfer_doc(p_transfer ledger_transfers, p_created boolean, p_receipt jsonb, p_entries jsonb) RETURNS jsonb
LANGUAGE sql IMMUTABLE AS $$
  SELECT jsonb_build_object(
    'id', p_transfer.id,
    'circleId', p_transfer.circle_id,
    'kind', p_transfer.kind,
    'memo', p_transfer.memo,
    'reverses', p_transfer.reverses,
    'metadata', p_transfer.metadata,
    'createdAt', p_transfer.created_at,
    'created', p_created,
    'receipt', p_receipt,
    'entries', coalesce(p_entries, '[]'::jsonb))
$$`,
  `CREATE FUNCTION ledger_transfer_json(p_transfer ledger_transfers, p_created boolean, p_receipt jsonb) RETURNS jsonb
LANGUAGE sql STABLE AS $$
  SELECT ledger_transfer_doc(p_transfer, p_created, p_receipt, (
    SELECT jsonb_agg(jsonb_build_object(
             'account', a.kind, 'accountId', e.account_id, 'amount', e.amount::text,
             'accountVersion', e.account_version::text, 'balanceAfter', e.balance_after::text)
           ORDER BY ledger_kind_rank(a.kind))
      FROM ledger_entries e JOIN ledger_accounts a ON a.id = e.account_id
     WHERE e.transfer_id = p_transfer.id))
$$`,

  // A retry must name the same circle and kind as the original it gets back.
  `CREATE FUNCTION ledger_existing(p_existing ledger_transfers, p_circle_id uuid, p_kind text) RETURNS jsonb
LANGUAGE plpgsql STABLE AS $$
BEGIN
  IF p_existing.circle_id <> p_circle_id OR p_existing.kind <> p_kind THEN
    RAISE EXCEPTION 'transfer id % is already used by another posting', p_existing.id USING ERRCODE = 'AR007';
  END IF;
  RETURN ledger_transfer_json(p_existing, false, NULL);
END
$$`,

  // Every lookup a posting makes (its own statements, the foreign-key checks and triggers they
  // fire, the receipt hook) is by key. Sequential scans are switched off for its duration so
  // that statistics taken while a table was small (an ANALYZE of a young ledger) cannot leave
  // cached plans scanning transfers or entries as they grow: measured, 0.47 ms per posting
  // either way, against 1.17 ms with such statistics and scans allowed (docs/performance.md).
  // entries: [{"account": kind, "amount": signed minor units, debit > 0 and credit < 0, as a
  // JSON integer or string}]. A transfer id that exists already returns the original
  // unchanged ("created": false): transfer ids are unique forever, so a retry is a no-op.
  `CREATE FUNCTION ledger_post(
  p_transfer_id uuid,
  p_circle_id uuid,
  p_kind text,
  p_entries jsonb,
  p_memo text DEFAULT NULL,
  p_reverses uuid DEFAULT NULL,
  p_metadata jsonb DEFAULT '{}'::jsonb
) RETURNS jsonb LANGUAGE plpgsql SET enable_seqscan = off AS $$
DECLARE
  v_transfer ledger_transfers%ROWTYPE;
  v_count bigint;
  v_accounts bigint;
  v_zero bigint;
  v_sum numeric;
  v_written bigint;
  v_entries jsonb;
BEGIN
  INSERT INTO ledger_transfers (id, circle_id, kind, memo, reverses, metadata)
  VALUES (p_transfer_id, p_circle_id, p_kind, p_memo, p_reverses, coalesce(p_metadata, '{}'::jsonb))
  ON CONFLICT DO NOTHING
  RETURNING * INTO v_transfer;
  IF NOT FOUND THEN
    -- The id is taken: a retried posting gets the original back. Otherwise a concurrent
    -- reversal of the same transfer committed first (invariant 6).
    SELECT * INTO v_transfer FROM ledger_transfers t WHERE t.id = p_transfer_id;
    IF FOUND THEN
      RETURN ledger_existing(v_transfer, p_circle_id, p_kind);
    END IF;
    RAISE EXCEPTION 'transfer % has already been reversed', p_reverses USING ERRCODE = 'AR003';
  END IF;

  -- Invariant 1, checked here for a clear error before anything moves (the triggers guard it).
  IF jsonb_typeof(p_entries) IS DISTINCT FROM 'array' THEN
    RAISE EXCEPTION 'entries must be a JSON array' USING ERRCODE = 'AR001';
  END IF;
  SELECT count(*), count(DISTINCT e->>'account'), count(*) FILTER (WHERE (e->>'amount')::bigint = 0),
         coalesce(sum((e->>'amount')::bigint), 0)
    INTO v_count, v_accounts, v_zero, v_sum
    FROM jsonb_array_elements(p_entries) AS e;
  IF v_count < 2 OR v_accounts <> v_count OR v_zero > 0 OR v_sum <> 0 THEN
    RAISE EXCEPTION 'a transfer needs two or more non-zero entries on distinct accounts summing to zero' USING ERRCODE = 'AR001';
  END IF;

  -- Lock the touched accounts in id order, so concurrent postings cannot deadlock; move
  -- totals and versions; write each entry with the account's version and balance after it.
  WITH input AS (
    SELECT e->>'account' AS kind, (e->>'amount')::bigint AS amount FROM jsonb_array_elements(p_entries) AS e
  ), locked AS (
    SELECT a.id, a.kind, i.amount
      FROM ledger_accounts a JOIN input i ON i.kind = a.kind
     WHERE a.circle_id = p_circle_id
     ORDER BY a.id
       FOR UPDATE OF a
  ), moved AS (
    UPDATE ledger_accounts a
       SET debit_total = a.debit_total + greatest(l.amount, 0),
           credit_total = a.credit_total + greatest(-l.amount, 0),
           version = a.version + 1
      FROM locked l
     WHERE a.id = l.id
    RETURNING a.id, l.kind, l.amount, a.version, a.debit_total - a.credit_total AS balance
  ), written AS (
    INSERT INTO ledger_entries (transfer_id, account_id, circle_id, amount, account_version, balance_after)
    SELECT p_transfer_id, m.id, p_circle_id, m.amount, m.version, m.balance FROM moved m
  )
  SELECT count(*), jsonb_agg(jsonb_build_object(
           'account', m.kind, 'accountId', m.id, 'amount', m.amount::text,
           'accountVersion', m.version::text, 'balanceAfter', m.balance::text)
         ORDER BY ledger_kind_rank(m.kind))
    INTO v_written, v_entries
    FROM moved m;
  IF v_written <> v_count THEN
    RAISE EXCEPTION 'an entry names an account this circle does not have' USING ERRCODE = 'AR006';
  END IF;

  RETURN ledger_transfer_doc(v_transfer, true, ledger_after_post(v_transfer, v_entries), v_entries);
END
$$`,

  // The mirror image of a transfer of the same circle, naming it in "reverses".
  `CREATE FUNCTION ledger_reverse(
  p_transfer_id uuid,
  p_circle_id uuid,
  p_target_id uuid,
  p_memo text DEFAULT NULL,
  p_metadata jsonb DEFAULT '{}'::jsonb
) RETURNS jsonb LANGUAGE plpgsql SET enable_seqscan = off AS $$
DECLARE
  v_entries jsonb;
BEGIN
  SELECT jsonb_agg(jsonb_build_object('account', a.kind, 'amount', (-e.amount)::text))
    INTO v_entries
    FROM ledger_transfers t
    JOIN ledger_entries e ON e.transfer_id = t.id
    JOIN ledger_accounts a ON a.id = e.account_id
   WHERE t.id = p_target_id AND t.circle_id = p_circle_id;
  IF v_entries IS NULL THEN
    RAISE EXCEPTION 'the reversed transfer does not exist in this circle' USING ERRCODE = 'AR004';
  END IF;
  RETURN ledger_post(p_transfer_id, p_circle_id, 'reversal', v_entries, p_memo, p_target_id, p_metadata);
END
$$`,
];

const DOWN = [
  'DROP FUNCTION ledger_reverse(uuid, uuid, uuid, text, jsonb)',
  'DROP FUNCTION ledger_post(uuid, uuid, text, jsonb, text, uuid, jsonb)',
  'DROP FUNCTION ledger_existing(ledger_transfers, uuid, text)',
  'DROP FUNCTION ledger_transfer_json(ledger_transfers, boolean, jsonb)',
  'DROP FUNCTION ledger_transfer_doc(ledger_transfers, boolean, jsonb, jsonb)',
  'DROP FUNCTION ledger_after_post(ledger_transfers, jsonb)',
  'DROP FUNCTION ledger_open_accounts(uuid)',
  'DROP FUNCTION ledger_kind_rank(text)',
];

export class LedgerPosting1790000000330 implements MigrationInterface {
  name = 'LedgerPosting1790000000330';

  async up(queryRunner: QueryRunner): Promise<void> {
    for (const sql of UP) await queryRunner.query(sql);
    // Circles created before the ledger existed get their accounts now.
    await queryRunner.query('SELECT ledger_open_accounts(c.id) FROM circles c');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const sql of DOWN) await queryRunner.query(sql);
  }
}
