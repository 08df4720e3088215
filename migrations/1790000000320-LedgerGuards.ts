import type { MigrationInterface, QueryRunner } from 'typeorm';
import { appendOnly, guards, refuseUpdateWhen } from './support/append-only.js';

/**
 * The ledger's guards in the database itself, so even raw SQL cannot break the invariants
 * of docs/design.md. Custom SQLSTATEs (class AR0xx) are mapped to problems in src/ledger/ledger-problems.ts.
 */
// Invariant 2: transfers and entries are append-only; a mistake is corrected by a reversal.
// Invariant 3: an account, and with it the totals its entries add up to, is never removed;
// after it opens only a posting moves it: one version step per entry, totals that only
// grow, identity fixed. The WHEN clause costs a posting no function call.
const KEPT = guards(
  appendOnly({ table: 'ledger_transfers', code: 'AR002', rule: 'the ledger is append-only, post a reversal instead' }),
  appendOnly({ table: 'ledger_entries', code: 'AR002', rule: 'the ledger is append-only, post a reversal instead' }),
  appendOnly({ table: 'ledger_accounts', code: 'AR002', rule: 'an account is never removed', updatable: true }),
  refuseUpdateWhen(
    'ledger_accounts_move_guard',
    'ledger_accounts',
    `NEW.id <> OLD.id OR NEW.circle_id <> OLD.circle_id OR NEW.kind <> OLD.kind
    OR NEW.currency <> OLD.currency OR NEW.created_at <> OLD.created_at OR NEW.version <> OLD.version + 1
    OR NEW.debit_total < OLD.debit_total OR NEW.credit_total < OLD.credit_total`,
    'AR002',
    'only a posting moves an account',
  ),
);

const UP = [
  ...KEPT.up,

  // Invariant 3: an account opens empty, in its circle's currency.
  `CREATE FUNCTION ledger_accounts_open_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.debit_total <> 0 OR NEW.credit_total <> 0 OR NEW.version <> 0 THEN
    RAISE EXCEPTION 'an account opens with zero totals' USING ERRCODE = 'AR006';
  END IF;
  IF NEW.currency IS DISTINCT FROM (SELECT c.currency FROM circles c WHERE c.id = NEW.circle_id) THEN
    RAISE EXCEPTION 'an account must be in its circle''s currency' USING ERRCODE = 'AR006';
  END IF;
  RETURN NEW;
END
$$`,
  `CREATE TRIGGER ledger_accounts_open_guard BEFORE INSERT ON ledger_accounts
  FOR EACH ROW EXECUTE FUNCTION ledger_accounts_open_guard()`,

  // Invariant 1: at commit, every transfer written has two or more entries summing to zero.
  // Runs at COMMIT, outside ledger_post: like it, never a sequential scan (see …330-LedgerPosting).
  `CREATE FUNCTION ledger_check_balanced() RETURNS trigger LANGUAGE plpgsql SET enable_seqscan = off AS $$
DECLARE
  v_count bigint;
  v_sum numeric;
BEGIN
  SELECT count(*), coalesce(sum(e.amount), 0) INTO v_count, v_sum FROM ledger_entries e WHERE e.transfer_id = NEW.id;
  IF v_count < 2 OR v_sum <> 0 THEN
    RAISE EXCEPTION 'transfer % is not balanced (% entries, sum %)', NEW.id, v_count, v_sum USING ERRCODE = 'AR001';
  END IF;
  RETURN NULL;
END
$$`,
  `CREATE CONSTRAINT TRIGGER ledger_transfers_balanced AFTER INSERT ON ledger_transfers
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION ledger_check_balanced()`,
  // Invariant 1: a transfer's entries are written together, in one statement, so none can be
  // added to a transfer later (the check above covers only transfers written in the transaction).
  `CREATE FUNCTION ledger_check_entries_together() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  v_transfer uuid;
BEGIN
  SELECT w.transfer_id INTO v_transfer
    FROM (SELECT a.transfer_id, count(*) AS n FROM added a GROUP BY a.transfer_id) w
   WHERE w.n <> (SELECT count(*) FROM ledger_entries e WHERE e.transfer_id = w.transfer_id)
   LIMIT 1;
  IF FOUND THEN
    RAISE EXCEPTION 'the entries of transfer % must be written together, in one statement', v_transfer USING ERRCODE = 'AR001';
  END IF;
  RETURN NULL;
END
$$`,
  `CREATE TRIGGER ledger_entries_together AFTER INSERT ON ledger_entries
  REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION ledger_check_entries_together()`,

  // Invariant 6: a transfer is reversed at most once (with uq_ledger_transfers_reverses), only
  // by a transfer of its own circle (with fk_ledger_transfers_reverses), and a reversal is not
  // itself reversed. Checked here first so each case gets its own clear error.
  `CREATE FUNCTION ledger_check_reversal() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  v_target ledger_transfers%ROWTYPE;
BEGIN
  SELECT * INTO v_target FROM ledger_transfers t WHERE t.id = NEW.reverses;
  IF NOT FOUND OR v_target.circle_id <> NEW.circle_id THEN
    RAISE EXCEPTION 'the reversed transfer does not exist in this circle' USING ERRCODE = 'AR004';
  END IF;
  IF v_target.reverses IS NOT NULL THEN
    RAISE EXCEPTION 'a reversal cannot itself be reversed' USING ERRCODE = 'AR005';
  END IF;
  IF EXISTS (SELECT 1 FROM ledger_transfers t WHERE t.reverses = NEW.reverses AND t.id <> NEW.id) THEN
    RAISE EXCEPTION 'transfer % has already been reversed', NEW.reverses USING ERRCODE = 'AR003';
  END IF;
  RETURN NEW;
END
$$`,
  `CREATE TRIGGER ledger_transfers_reversal_guard BEFORE INSERT ON ledger_transfers
  FOR EACH ROW WHEN (NEW.reverses IS NOT NULL) EXECUTE FUNCTION ledger_check_reversal()`,
];

const DOWN = [
  'DROP TRIGGER ledger_transfers_reversal_guard ON ledger_transfers',
  'DROP FUNCTION ledger_check_reversal()',
  'DROP TRIGGER ledger_entries_together ON ledger_entries',
  'DROP FUNCTION ledger_check_entries_together()',
  'DROP TRIGGER ledger_transfers_balanced ON ledger_transfers',
  'DROP FUNCTION ledger_check_balanced()',
  'DROP TRIGGER ledger_accounts_open_guard ON ledger_accounts',
  'DROP FUNCTION ledger_accounts_open_guard()',
  ...KEPT.down,
];

export class LedgerGuards1790000000320 implements MigrationInterface {
  name = 'LedgerGuards1790000000320';

  async up(queryRunner: QueryRunner): Promise<void> {
    for (const sql of UP) await queryRunner.query(sql);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const sql of DOWN) await queryRunner.query(sql);
  }
}
