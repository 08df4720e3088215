import type { EntityManager } from 'typeorm';
import { Injectable } from '@nestjs/common';
import { prepared } from '../database/prepared-statements.js';
import { TransactionHost } from '../database/transaction-host.js';
import { GENESIS_HASH } from './receipt-canonical.js';
import type { ReceiptChainHead, ReceiptRecord } from './receipt-types.js';

interface ReceiptRow {
  id: string;
  circle_id: string;
  seq: string;
  kind: string;
  amount: string;
  currency: string;
  direction: 'in' | 'out' | null;
  method: string | null;
  date: string;
  cycle_id: string | null;
  week: number | null;
  alias_digest: string | null;
  alias: string | null;
  alias_salt: string | null;
  donor: string | null;
  donor_digest: string | null;
  donor_name: string | null;
  donor_salt: string | null;
  reverses: string | null;
  category: string | null;
  prev_hash: string;
  hash: string;
}

// The date as text: node-pg would turn a `date` into a local-time JS Date.
// An alias and a donor's name, with their salts, come from their side tables while kept;
// looked up only for a receipt that carries the digest, so a plain page makes no lookups.
const COLUMNS = `r.id, r.circle_id, r.seq, r.kind, r.amount, r.currency, r.direction, r.method, to_char(r.date, 'YYYY-MM-DD') AS date,
  r.cycle_id, r.week, encode(r.alias_digest, 'hex') AS alias_digest,
  CASE WHEN r.alias_digest IS NOT NULL THEN (SELECT a.alias FROM receipt_aliases a WHERE a.receipt_id = r.id) END AS alias,
  CASE WHEN r.alias_digest IS NOT NULL THEN (SELECT encode(a.salt, 'hex') FROM receipt_aliases a WHERE a.receipt_id = r.id) END AS alias_salt,
  r.donor, encode(r.donor_digest, 'hex') AS donor_digest,
  CASE WHEN r.donor_digest IS NOT NULL THEN (SELECT n.name FROM receipt_donor_names n WHERE n.receipt_id = r.id) END AS donor_name,
  CASE WHEN r.donor_digest IS NOT NULL THEN (SELECT encode(n.salt, 'hex') FROM receipt_donor_names n WHERE n.receipt_id = r.id) END AS donor_salt,
  r.reverses, r.category, encode(r.prev_hash, 'hex') AS prev_hash, encode(r.hash, 'hex') AS hash`;

/**
 * A page of the feed: $1 circle, $2 the last seq seen, $3 how many. A keyset read on
 * uq_receipts_circle_seq, prepared once per connection (it runs on every feed request).
 * The upper bound `seq <= $2 + $3` names no receipt that LIMIT would not (a circle's seqs are
 * gap-free, docs/receipts.md), but it lets the planner see that a page is $3 rows: with
 * LIMIT alone it expects a tenth of the circle's receipts from the generic plan, so
 * PostgreSQL planned the statement afresh on every execution (half of its CPU time for a
 * page; docs/performance.md).
 */
export const RECEIPT_PAGE_SQL = prepared(
  'arvut_receipts_page',
  `SELECT ${COLUMNS} FROM receipts r WHERE r.circle_id = $1 AND r.seq > $2 AND r.seq <= $2 + $3 ORDER BY r.seq LIMIT $3`,
);

function toRecord(r: ReceiptRow): ReceiptRecord {
  return {
    id: r.id,
    circleId: r.circle_id,
    seq: BigInt(r.seq),
    kind: r.kind,
    amount: BigInt(r.amount),
    currency: r.currency,
    direction: r.direction,
    method: r.method,
    date: r.date,
    cycleId: r.cycle_id,
    week: r.week,
    aliasDigest: r.alias_digest,
    alias: r.alias,
    aliasSalt: r.alias_salt,
    donor: r.donor,
    donorDigest: r.donor_digest,
    donorName: r.donor_name,
    donorSalt: r.donor_salt,
    reverses: r.reverses,
    category: r.category,
    prevHash: r.prev_hash,
    hash: r.hash,
  };
}

/**
 * Reads receipts and chain heads (the ledger writes them, in ledger_post). No access
 * checks: callers check first. Pages are keyset reads on (circle_id, seq), so the
 * thousandth page costs what the first does.
 */
@Injectable()
export class ReceiptsService {
  constructor(private readonly tx: TransactionHost) {}

  /** Up to `limit` receipts of the circle with seq > `afterSeq`, in chain order. */
  async page(circleId: string, afterSeq: bigint, limit: number, manager: EntityManager = this.tx.manager): Promise<ReceiptRecord[]> {
    const rows: ReceiptRow[] = await manager.query(RECEIPT_PAGE_SQL, [circleId, afterSeq.toString(), limit]);
    return rows.map(toRecord);
  }

  /** Every receipt of the circle in chain order, `batchSize` at a time (on `manager`'s connection: a long read's). */
  async *all(circleId: string, batchSize = 1000, manager: EntityManager = this.tx.manager): AsyncGenerator<ReceiptRecord[]> {
    let after = 0n;
    for (;;) {
      const batch = await this.page(circleId, after, batchSize, manager);
      if (batch.length === 0) return;
      yield batch;
      if (batch.length < batchSize) return;
      after = batch[batch.length - 1].seq;
    }
  }

  /**
   * Erasure: deletes the aliases (and their salts) the recipient's receipts were published
   * with. The receipts keep their digests, so the chain still verifies, and nothing left
   * can be tested against a guessed alias. Returns how many receipts lost their alias.
   */
  async forgetAliasesOf(circleId: string, recipientId: string): Promise<number> {
    const rows: { n: number }[] = await this.tx.manager.query(
      'WITH gone AS (DELETE FROM receipt_aliases WHERE circle_id = $1 AND recipient_id = $2 RETURNING 1) SELECT count(*)::int AS n FROM gone',
      [circleId, recipientId],
    );
    return rows[0].n;
  }

  /** The name the user chose to appear under on their contributions' receipts in the circle; null: "a neighbour". */
  async nameChoice(circleId: string, userId: string): Promise<string | null> {
    const rows: { name: string }[] = await this.tx.manager.query('SELECT name FROM receipt_name_choices WHERE circle_id = $1 AND user_id = $2', [circleId, userId]);
    return rows[0]?.name ?? null;
  }

  /**
   * Sets (or with null, withdraws) the user's name on the receipts of their contributions in
   * the circle. A name applies to receipts posted from now on; withdrawing it also deletes it
   * from the receipts already published (their digests stay). Returns the receipts unnamed.
   */
  async chooseName(circleId: string, userId: string, name: string | null): Promise<number> {
    if (name !== null) {
      await this.tx.manager.query(
        `INSERT INTO receipt_name_choices (circle_id, user_id, name) VALUES ($1, $2, $3)
         ON CONFLICT (circle_id, user_id) DO UPDATE SET name = EXCLUDED.name, updated_at = now()`,
        [circleId, userId, name],
      );
      return 0;
    }
    await this.tx.manager.query('DELETE FROM receipt_name_choices WHERE circle_id = $1 AND user_id = $2', [circleId, userId]);
    return this.forgetDonorNames(userId, circleId);
  }

  /** Deletes a donor's published names (and choices) in one circle, or in every circle (account deletion). */
  async forgetDonorNames(userId: string, circleId?: string): Promise<number> {
    if (circleId === undefined) await this.tx.manager.query('DELETE FROM receipt_name_choices WHERE user_id = $1', [userId]);
    const rows: { n: number }[] = await this.tx.manager.query(
      `WITH gone AS (DELETE FROM receipt_donor_names WHERE user_id = $1 AND ($2::uuid IS NULL OR circle_id = $2) RETURNING 1) SELECT count(*)::int AS n FROM gone`,
      [userId, circleId ?? null],
    );
    return rows[0].n;
  }

  /** The circle's chain head now (seq 0 before its first receipt). */
  async head(circleId: string): Promise<ReceiptChainHead> {
    const rows: { seq: string; hash: string }[] = await this.tx.manager.query(`SELECT seq, encode(hash, 'hex') AS hash FROM receipt_heads WHERE circle_id = $1`, [circleId]);
    return rows[0] ? { circleId, seq: BigInt(rows[0].seq), hash: rows[0].hash } : { circleId, seq: 0n, hash: GENESIS_HASH };
  }

  /** Heads of the circles whose chain has grown past `lastSigned` (seq by circle id; absent: 0): for the checkpoint job. */
  async headsAbove(lastSigned: ReadonlyMap<string, bigint>): Promise<ReceiptChainHead[]> {
    const rows: { circle_id: string; seq: string; hash: string }[] = await this.tx.manager.query(`SELECT circle_id, seq, encode(hash, 'hex') AS hash FROM receipt_heads WHERE seq > 0 ORDER BY circle_id`);
    return rows.map((r) => ({ circleId: r.circle_id, seq: BigInt(r.seq), hash: r.hash })).filter((h) => h.seq > (lastSigned.get(h.circleId) ?? 0n));
  }
}
