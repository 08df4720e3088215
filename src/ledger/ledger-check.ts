/**
 * The ledger check: plain SELECTs that prove the invariants of DESIGN.md hold. Used by
 * GET /v1/circles/{circleId}/ledger/check (one circle) and `npm run ledger:check` (the
 * whole database). Each query returns the ids of offending rows; $1 is a circle id, or
 * null for every circle. Add new checks here.
 */
/** hash(0) of every chain, 32 zero bytes, as an SQL literal. */
const GENESIS_SQL = `'\\x${'00'.repeat(32)}'::bytea`;

export interface LedgerInvariant {
  name: string;
  /** The invariant number in DESIGN.md. */
  invariant: number;
  description: string;
  sql: string;
}

/**
 * A name kept apart from its receipt (an alias, a donor's name) hashes, with its salt, to the
 * digest the receipt carries in the chain; offending ids are receipts.
 */
function keptNameMatchesDigest(name: string, what: string, kept: { table: string; column: string }, digestColumn: string): LedgerInvariant {
  return {
    name,
    invariant: 8,
    description: `Every ${what} shown beside a receipt is the one its hashed digest was made from: SHA-256(salt ‖ ${what}), recomputed here (offending ids: receipts).`,
    sql: `SELECT k.receipt_id::text AS id
            FROM ${kept.table} k
            LEFT JOIN receipts r ON r.id = k.receipt_id
           WHERE ($1::uuid IS NULL OR k.circle_id = $1)
             AND (r.id IS NULL OR r.circle_id <> k.circle_id
                  OR r.${digestColumn} IS DISTINCT FROM sha256(k.salt || convert_to(k.${kept.column}, 'UTF8')))`,
  };
}

export const LEDGER_INVARIANTS: readonly LedgerInvariant[] = [
  {
    name: 'transfers-balanced',
    invariant: 1,
    description: 'Every transfer has two or more entries and they sum to zero.',
    sql: `SELECT t.id::text AS id
            FROM ledger_transfers t LEFT JOIN ledger_entries e ON e.transfer_id = t.id
           WHERE ($1::uuid IS NULL OR t.circle_id = $1)
           GROUP BY t.id
          HAVING count(e.transfer_id) < 2 OR coalesce(sum(e.amount), 0) <> 0`,
  },
  {
    name: 'circles-balanced',
    invariant: 1,
    description: "The entries of each circle sum to zero, and so do its accounts' debit-minus-credit totals.",
    sql: `SELECT a.circle_id::text AS id
            FROM ledger_accounts a
            LEFT JOIN LATERAL (SELECT coalesce(sum(e.amount), 0) AS total FROM ledger_entries e WHERE e.account_id = a.id) s ON true
           WHERE ($1::uuid IS NULL OR a.circle_id = $1)
           GROUP BY a.circle_id
          HAVING sum(s.total) <> 0 OR sum(a.debit_total - a.credit_total) <> 0`,
  },
  {
    name: 'account-totals',
    invariant: 3,
    description: "Each account's debit and credit totals and version equal the sum and count of its entries.",
    sql: `SELECT a.id::text AS id
            FROM ledger_accounts a
            CROSS JOIN LATERAL (
              SELECT coalesce(sum(e.amount) FILTER (WHERE e.amount > 0), 0) AS debits,
                     coalesce(-sum(e.amount) FILTER (WHERE e.amount < 0), 0) AS credits,
                     count(*) AS entries, coalesce(max(e.account_version), 0) AS last_version
                FROM ledger_entries e WHERE e.account_id = a.id) s
           WHERE ($1::uuid IS NULL OR a.circle_id = $1)
             AND (a.debit_total <> s.debits OR a.credit_total <> s.credits OR a.version <> s.entries OR a.version <> s.last_version)`,
  },
  {
    name: 'entry-balances',
    invariant: 3,
    description: "Each entry's balance-after equals the running sum of its account's entries (reported by transfer).",
    sql: `SELECT DISTINCT r.transfer_id::text AS id
            FROM (SELECT e.transfer_id, e.balance_after,
                         sum(e.amount) OVER (PARTITION BY e.account_id ORDER BY e.account_version) AS running
                    FROM ledger_entries e JOIN ledger_accounts a ON a.id = e.account_id
                   WHERE ($1::uuid IS NULL OR a.circle_id = $1)) r
           WHERE r.balance_after <> r.running`,
  },
  {
    name: 'pool-not-negative',
    invariant: 4,
    description: 'No pool is below zero, now or after any of its entries.',
    sql: `SELECT a.id::text AS id
            FROM ledger_accounts a
           WHERE a.kind = 'pool' AND ($1::uuid IS NULL OR a.circle_id = $1)
             AND (a.debit_total < a.credit_total
                  OR EXISTS (SELECT 1 FROM ledger_entries e WHERE e.account_id = a.id AND e.balance_after < 0))`,
  },
  {
    name: 'reversals',
    invariant: 6,
    description: 'Every reversal points at one transfer of its own circle that is not a reversal, is its only reversal, and mirrors its entries.',
    sql: `SELECT r.id::text AS id
            FROM ledger_transfers r
            LEFT JOIN ledger_transfers t ON t.id = r.reverses
           WHERE r.reverses IS NOT NULL AND ($1::uuid IS NULL OR r.circle_id = $1)
             AND (t.id IS NULL OR t.circle_id <> r.circle_id OR t.reverses IS NOT NULL
                  OR (SELECT count(*) FROM ledger_transfers x WHERE x.reverses = r.reverses) <> 1
                  OR EXISTS (SELECT 1
                               FROM (SELECT account_id, amount FROM ledger_entries WHERE transfer_id = r.id) re
                               FULL JOIN (SELECT account_id, amount FROM ledger_entries WHERE transfer_id = t.id) te
                                 ON te.account_id = re.account_id
                              WHERE re.amount IS DISTINCT FROM -te.amount))`,
  },
  {
    name: 'accounts-complete',
    invariant: 3,
    description: "Every circle has exactly its six accounts, each in the circle's currency.",
    sql: `SELECT c.id::text AS id
            FROM circles c
           WHERE ($1::uuid IS NULL OR c.id = $1)
             AND ((SELECT count(*) FROM ledger_accounts a WHERE a.circle_id = c.id) <> 6
                  OR EXISTS (SELECT 1 FROM ledger_accounts a WHERE a.circle_id = c.id AND a.currency <> c.currency))`,
  },
  {
    name: 'receipt-chain',
    invariant: 8,
    description:
      "Each circle's receipts run 1, 2, 3… without gaps; each one's hash is SHA-256 of the previous hash and its canonical JSON, recomputed here; each circle's head is its last receipt (offending ids: receipts, or the circle for a head).",
    sql: `SELECT r.id::text AS id
            FROM (SELECT x.id, x.seq, x.prev_hash, x.hash,
                         sha256(x.prev_hash || convert_to(receipt_canonical(x), 'UTF8')) AS recomputed,
                         lag(x.seq) OVER w AS before_seq, lag(x.hash) OVER w AS before_hash
                    FROM receipts x
                   WHERE ($1::uuid IS NULL OR x.circle_id = $1)
                  WINDOW w AS (PARTITION BY x.circle_id ORDER BY x.seq)) r
           WHERE r.hash <> r.recomputed
              OR r.seq <> coalesce(r.before_seq, 0) + 1
              OR r.prev_hash <> coalesce(r.before_hash, ${GENESIS_SQL})
          UNION ALL
          SELECT h.circle_id::text AS id
            FROM receipt_heads h
            LEFT JOIN LATERAL (SELECT x.seq, x.hash FROM receipts x WHERE x.circle_id = h.circle_id ORDER BY x.seq DESC LIMIT 1) last ON true
           WHERE ($1::uuid IS NULL OR h.circle_id = $1)
             AND (h.seq <> coalesce(last.seq, 0) OR h.hash <> coalesce(last.hash, ${GENESIS_SQL}))`,
  },
  {
    name: 'receipts-complete',
    invariant: 8,
    description: 'No posting without its receipt: every transfer has at least one receipt in its circle.',
    sql: `SELECT t.id::text AS id
            FROM ledger_transfers t
           WHERE ($1::uuid IS NULL OR t.circle_id = $1)
             AND NOT EXISTS (SELECT 1 FROM receipts r WHERE r.transfer_id = t.id)`,
  },
  {
    name: 'grants-posted',
    invariant: 5,
    description:
      'Every grant paid (or acknowledged, or returned) names one posting of kind grant in its circle that paid exactly the amount granted, and a returned one names the reversal of that posting; every grant posting belongs to such a grant (offending ids: requests, or unclaimed transfers).',
    sql: `SELECT rq.id::text AS id
            FROM requests rq
            LEFT JOIN ledger_transfers t ON t.id = rq.transfer_id
            LEFT JOIN ledger_transfers rv ON rv.id = rq.reversal_transfer_id
           WHERE ($1::uuid IS NULL OR rq.circle_id = $1)
             AND rq.kind = 'grant' AND rq.status IN ('paid', 'acknowledged', 'returned')
             AND (t.id IS NULL OR t.kind <> 'grant' OR t.circle_id <> rq.circle_id
                  OR (SELECT coalesce(sum(e.amount), 0) FROM ledger_entries e JOIN ledger_accounts a ON a.id = e.account_id
                       WHERE e.transfer_id = t.id AND a.kind = 'payouts') IS DISTINCT FROM rq.amount_granted
                  OR (rq.status = 'returned' AND (rv.id IS NULL OR rv.reverses IS DISTINCT FROM t.id)))
          UNION ALL
          SELECT t.id::text AS id
            FROM ledger_transfers t
           WHERE ($1::uuid IS NULL OR t.circle_id = $1) AND t.kind = 'grant'
             AND NOT EXISTS (SELECT 1 FROM requests rq WHERE rq.transfer_id = t.id AND rq.circle_id = t.circle_id AND rq.status IN ('paid', 'acknowledged', 'returned'))`,
  },
  keptNameMatchesDigest('receipt-aliases', 'alias', { table: 'receipt_aliases', column: 'alias' }, 'alias_digest'),
  keptNameMatchesDigest('receipt-donor-names', 'donor name', { table: 'receipt_donor_names', column: 'name' }, 'donor_digest'),
];

/** At most this many offending ids are listed per invariant; `offendingCount` has them all. */
export const MAX_OFFENDING_IDS = 100;

export interface InvariantResult {
  name: string;
  invariant: number;
  description: string;
  ok: boolean;
  offendingCount: number;
  offendingIds: string[];
}

export interface LedgerCheckResult {
  ok: boolean;
  results: InvariantResult[];
}

export type QueryFn = (sql: string, params: unknown[]) => Promise<{ id: string; total: string | number }[]>;

/** Runs every invariant query, for one circle or (circleId null) the whole database. */
export async function runLedgerCheck(query: QueryFn, circleId: string | null): Promise<LedgerCheckResult> {
  const results: InvariantResult[] = [];
  for (const check of LEDGER_INVARIANTS) {
    const rows = await query(`SELECT q.id, count(*) OVER () AS total FROM (${check.sql}) q ORDER BY q.id LIMIT ${MAX_OFFENDING_IDS}`, [circleId]);
    const offendingCount = rows.length ? Number(rows[0].total) : 0;
    results.push({ name: check.name, invariant: check.invariant, description: check.description, ok: offendingCount === 0, offendingCount, offendingIds: rows.map((r) => r.id) });
  }
  return { ok: results.every((r) => r.ok), results };
}
