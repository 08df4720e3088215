import type { MigrationInterface, QueryRunner } from 'typeorm';

// Account totals and the receipt chain's head are the two summaries a posting keeps up to
// date. The database checks that neither moves without the record that justifies it, so a
// connection that can UPDATE those rows (the API's own role) still cannot forge a balance
// or a chain head (docs/security.md, "The database protects itself").
const UP = [
  // Invariant 3: every change of an account's totals or version is the change an entry
  // records: the entry of that account at that version, with that balance after it. Checked
  // at commit, when the posting's entries are written (they come in the same statement as
  // the update, after it). The unique (account_id, account_version) key means an entry for
  // a version not yet posted cannot already exist: a forged move has nothing to match.
  `CREATE FUNCTION ledger_accounts_check_moved_by_entry() RETURNS trigger LANGUAGE plpgsql SET enable_seqscan = off AS $$
BEGIN
  PERFORM FROM ledger_entries e
   WHERE e.account_id = NEW.id AND e.account_version = NEW.version AND e.balance_after = NEW.debit_total - NEW.credit_total;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'the totals of account % moved without the entry that moves them', NEW.id USING ERRCODE = 'AR008';
  END IF;
  RETURN NULL;
END
$$`,
  `CREATE CONSTRAINT TRIGGER ledger_accounts_moved_by_entry AFTER UPDATE ON ledger_accounts
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW
  WHEN (NEW.version <> OLD.version OR NEW.debit_total <> OLD.debit_total OR NEW.credit_total <> OLD.credit_total)
  EXECUTE FUNCTION ledger_accounts_check_moved_by_entry()`,

  // Invariant 8: a chain head starts at 0 and moves only to a receipt that exists, with
  // that receipt's hash.
  `CREATE FUNCTION receipt_heads_check_moved_by_receipt() RETURNS trigger LANGUAGE plpgsql SET enable_seqscan = off AS $$
BEGIN
  IF NEW.seq = 0 THEN
    RETURN NULL;
  END IF;
  PERFORM FROM receipts r WHERE r.circle_id = NEW.circle_id AND r.seq = NEW.seq AND r.hash = NEW.hash;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'the receipt chain head of circle % moved to % without that receipt', NEW.circle_id, NEW.seq USING ERRCODE = 'AR009';
  END IF;
  RETURN NULL;
END
$$`,
  `CREATE CONSTRAINT TRIGGER receipt_heads_moved_by_receipt AFTER INSERT OR UPDATE ON receipt_heads
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION receipt_heads_check_moved_by_receipt()`,
];

const DOWN = [
  'DROP TRIGGER receipt_heads_moved_by_receipt ON receipt_heads',
  'DROP FUNCTION receipt_heads_check_moved_by_receipt()',
  'DROP TRIGGER ledger_accounts_moved_by_entry ON ledger_accounts',
  'DROP FUNCTION ledger_accounts_check_moved_by_entry()',
];

export class MovesOnlyWithRecords1790000001200 implements MigrationInterface {
  name = 'MovesOnlyWithRecords1790000001200';

  async up(queryRunner: QueryRunner): Promise<void> {
    for (const sql of UP) await queryRunner.query(sql);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const sql of DOWN) await queryRunner.query(sql);
  }
}
