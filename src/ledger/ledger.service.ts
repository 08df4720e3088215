import { Injectable } from '@nestjs/common';
import type { EntityManager, QueryRunner } from 'typeorm';
import { prepared } from '../database/prepared-statements.js';
import { TransactionHost } from '../database/transaction-host.js';
import { isAccountKind, normalBalance, type AccountKind } from './account-kind.js';
import { toMinorUnits } from './ledger-amount.js';
import type { AccountBalance, LedgerEntryLine, PostedEntry, PostedTransfer, PostingInput, TransferSummary } from './ledger-types.js';

/** The document ledger_post / ledger_reverse / ledger_transfer_json return. */
interface TransferDocument {
  id: string;
  circleId: string;
  kind: string;
  memo: string | null;
  reverses: string | null;
  metadata: Record<string, unknown>;
  createdAt: string;
  created: boolean;
  /** The receipts the posting appended to the circle's chain (null for a repeated transfer id). */
  receipt: { id: string; seq: number; kind: string; amount: string; hash: string }[] | null;
  entries: { account: string; accountId: string; amount: string; accountVersion: string; balanceAfter: string }[];
}

function toPostedTransfer(doc: TransferDocument): PostedTransfer {
  const entries = doc.entries.map((e): PostedEntry => {
    if (!isAccountKind(e.account)) throw new Error(`unknown account kind ${e.account}`);
    return { account: e.account, accountId: e.accountId, amount: BigInt(e.amount), accountVersion: BigInt(e.accountVersion), balanceAfter: BigInt(e.balanceAfter) };
  });
  return { ...doc, createdAt: new Date(doc.createdAt), entries };
}

/**
 * The only code that moves money (docs/architecture.md "Modules"). Payouts, pledges and the HTTP API
 * post through here. No access checks: callers check first. Every call runs on
 * TransactionHost.manager, so it joins the caller's transaction when there is one, and is
 * one statement (atomic by itself) when there is none.
 *
 * Errors arrive as QueryFailedError with the SQLSTATEs of migrations/…-LedgerGuards.ts and
 * …-LedgerPosting.ts; ledger-problems.ts maps them (pool overdraft → insufficient-funds,
 * second reversal → already-reversed, unknown transfer → not-found).
 */
// A posting and its receipt.published events are one statement: ledger_publish_receipts appends
// an event for each receipt the posting's document lists (migrations/1790000001800-PostingInOneWrite.ts),
// so nothing the app does with the answer has to happen before COMMIT (postAndCommit).
// Every money-moving request runs it: prepared once per connection (bench:ledger, docs/performance.md).
const POST = prepared('arvut_ledger_post', 'SELECT ledger_publish_receipts(ledger_post($1, $2, $3, $4::jsonb, $5, NULL, $6::jsonb)) AS doc');
const REVERSE = 'SELECT ledger_publish_receipts(ledger_reverse($1, $2, $3, $4, $5::jsonb)) AS doc';

function postingParams(input: PostingInput): unknown[] {
  const entries = input.entries.map((e) => ({ account: e.account, amount: toMinorUnits(e.amount).toString() }));
  return [input.transferId, input.circleId, input.kind, JSON.stringify(entries), input.memo ?? null, JSON.stringify(input.metadata ?? {})];
}

@Injectable()
export class LedgerService {
  constructor(private readonly tx: TransactionHost) {}

  /** Opens the six accounts of a new circle; called inside the circle-creating transaction. */
  async openAccounts(circleId: string, manager: EntityManager = this.tx.manager): Promise<void> {
    await manager.query('SELECT ledger_open_accounts($1)', [circleId]);
  }

  /**
   * Posts one balanced transfer in one round trip, with a receipt.published event for each
   * receipt it appends; a known transfer id returns the original (and publishes nothing).
   */
  async post(input: PostingInput): Promise<PostedTransfer> {
    return this.tx.run(async (manager) => {
      const rows: { doc: TransferDocument }[] = await manager.query(POST, postingParams(input));
      return toPostedTransfer(rows[0].doc);
    });
  }

  /**
   * post() as the last statement of the caller's transaction, sent together with COMMIT
   * (TransactionHost.queryAndCommit): the circle's chain head and account rows are locked
   * only while PostgreSQL runs the posting and commits, not while its answer travels to this
   * process and back. Whatever must commit with the posting (the Idempotency-Key record) is
   * sent before it. Nothing may run in the transaction afterwards.
   */
  async postAndCommit(input: PostingInput): Promise<PostedTransfer> {
    const rows = await this.tx.queryAndCommit<{ doc: TransferDocument }>(POST, postingParams(input));
    return toPostedTransfer(rows[0].doc);
  }

  /**
   * Posts the mirror image of `transferId` as `reversalId`, in the same circle. A transfer
   * is reversed at most once and a reversal is not reversed (invariant 6).
   */
  async reverse(circleId: string, transferId: string, reversalId: string, options: { memo?: string | null; metadata?: Record<string, unknown> } = {}): Promise<PostedTransfer> {
    return this.tx.run(async (manager) => {
      const rows: { doc: TransferDocument }[] = await manager.query(REVERSE, [reversalId, circleId, transferId, options.memo ?? null, JSON.stringify(options.metadata ?? {})]);
      return toPostedTransfer(rows[0].doc);
    });
  }

  /** The circle's accounts in display order; empty for an unknown circle. */
  async balances(circleId: string): Promise<AccountBalance[]> {
    const rows: { kind: AccountKind; currency: string; debit_total: string; credit_total: string; version: string }[] = await this.tx.manager.query(
      `SELECT kind, currency, debit_total, credit_total, version FROM ledger_accounts
        WHERE circle_id = $1 ORDER BY ledger_kind_rank(kind)`,
      [circleId],
    );
    return rows.map((r) => {
      const debitTotal = BigInt(r.debit_total);
      const creditTotal = BigInt(r.credit_total);
      return { kind: r.kind, currency: r.currency, debitTotal, creditTotal, balance: normalBalance(r.kind, debitTotal - creditTotal), version: BigInt(r.version) };
    });
  }

  /** One transfer of the circle with its entries, and the id of its reversal if any. */
  async transfer(circleId: string, transferId: string): Promise<{ transfer: PostedTransfer; reversedBy: string | null } | undefined> {
    const rows: { doc: TransferDocument; reversed_by: string | null }[] = await this.tx.manager.query(
      `SELECT ledger_transfer_json(t, false, NULL) AS doc, (SELECT r.id FROM ledger_transfers r WHERE r.reverses = t.id) AS reversed_by
         FROM ledger_transfers t WHERE t.id = $1 AND t.circle_id = $2`,
      [transferId, circleId],
    );
    return rows[0] && { transfer: toPostedTransfer(rows[0].doc), reversedBy: rows[0].reversed_by };
  }

  /** A transfer by id alone, with its circle's currency (an idempotent replay renders it). */
  async transferById(transferId: string): Promise<{ transfer: PostedTransfer; currency: string } | undefined> {
    const rows: { doc: TransferDocument; currency: string }[] = await this.tx.manager.query(
      `SELECT ledger_transfer_json(t, false, NULL) AS doc, c.currency FROM ledger_transfers t JOIN circles c ON c.id = t.circle_id WHERE t.id = $1`,
      [transferId],
    );
    return rows[0] && { transfer: toPostedTransfer(rows[0].doc), currency: rows[0].currency };
  }

  /**
   * A page of the circle's transfers, newest first, after the (createdAt, id) key of the
   * last row of the previous page. createdAt keys keep PostgreSQL's microseconds.
   */
  async transfers(circleId: string, limit: number, after?: { createdAt: string; id: string }): Promise<TransferSummary[]> {
    const rows: { id: string; kind: string; memo: string | null; reverses: string | null; reversed_by: string | null; amount: string; created_at: Date; created_key: string }[] =
      await this.tx.manager.query(
        `SELECT t.id, t.kind, t.memo, t.reverses, r.id AS reversed_by, t.created_at,
                to_char(t.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS created_key,
                (SELECT sum(e.amount) FROM ledger_entries e WHERE e.transfer_id = t.id AND e.amount > 0)::text AS amount
           FROM ledger_transfers t
           LEFT JOIN ledger_transfers r ON r.reverses = t.id
          WHERE t.circle_id = $1 AND ($2::timestamptz IS NULL OR (t.created_at, t.id) < ($2::timestamptz, $3::uuid))
          ORDER BY t.created_at DESC, t.id DESC
          LIMIT $4`,
        [circleId, after?.createdAt ?? null, after?.id ?? null, limit],
      );
    return rows.map((r) => ({
      id: r.id,
      kind: r.kind,
      memo: r.memo,
      reverses: r.reverses,
      reversedBy: r.reversed_by,
      amount: BigInt(r.amount ?? '0'),
      createdAt: r.created_at,
      cursorKey: r.created_key,
    }));
  }

  /**
   * Every entry of the circle in posting order (transfer by transfer, pool first), through
   * one cursor in a read-only snapshot, `batchSize` entries at a time: an export of any size
   * holds one batch in memory and sees no posting half-way. Stopping the iteration early
   * closes the cursor and returns the connection. On `connection` (a long-read lease's,
   * src/database/long-reads.ts) the snapshot ends with the iteration but the connection stays
   * its owner's to release; without one, a connection of the main pool is taken and returned.
   */
  async *entriesInPostingOrder(circleId: string, batchSize = 500, connection?: QueryRunner): AsyncGenerator<LedgerEntryLine[]> {
    if (!Number.isInteger(batchSize) || batchSize < 1) throw new RangeError('batchSize must be a positive integer');
    const runner = connection ?? this.tx.manager.dataSource.createQueryRunner();
    if (!connection) await runner.connect();
    try {
      await runner.startTransaction('REPEATABLE READ');
      await runner.query('SET TRANSACTION READ ONLY');
      await runner.query(
        `DECLARE ledger_entry_lines NO SCROLL CURSOR FOR
         SELECT t.id, to_char(t.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS posted_at, t.kind, t.memo, t.reverses, t.metadata,
                a.kind AS account, e.amount::text AS amount, e.account_version::text AS account_version, e.balance_after::text AS balance_after
           FROM ledger_transfers t
           JOIN ledger_entries e ON e.transfer_id = t.id
           JOIN ledger_accounts a ON a.id = e.account_id
          WHERE t.circle_id = $1
          ORDER BY t.created_at, t.id, ledger_kind_rank(a.kind)`,
        [circleId],
      );
      for (;;) {
        const rows: { id: string; posted_at: string; kind: string; memo: string | null; reverses: string | null; metadata: Record<string, unknown>; account: string; amount: string; account_version: string; balance_after: string }[] =
          await runner.query(`FETCH FORWARD ${batchSize} FROM ledger_entry_lines`);
        if (rows.length === 0) break;
        yield rows.map((r) => {
          if (!isAccountKind(r.account)) throw new Error(`unknown account kind ${r.account}`);
          return {
            transferId: r.id,
            postedAt: r.posted_at,
            kind: r.kind,
            memo: r.memo,
            reverses: r.reverses,
            metadata: r.metadata,
            account: r.account,
            amount: BigInt(r.amount),
            accountVersion: BigInt(r.account_version),
            balanceAfter: normalBalance(r.account, BigInt(r.balance_after)),
          };
        });
      }
      await runner.commitTransaction();
    } finally {
      if (runner.isTransactionActive) await runner.rollbackTransaction().catch(() => undefined);
      if (!connection) await runner.release();
    }
  }
}
