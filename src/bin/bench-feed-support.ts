// Pieces of `npm run bench:feed` that do not need the app: the bulk load of receipts
// through ledger_post, and sequential latency probes.
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { RECEIPT_PAGE_SQL } from '../ledger/receipts.service.js';

/**
 * Posts `count` transfers into one circle straight through ledger_post, `batch` per
 * statement, so each gets its receipt exactly as in production: three contributions (cash)
 * for every payout (cashapp, with cycle and week), after one deposit that keeps the pool
 * above zero throughout.
 */
export async function loadReceipts(url: string, circleId: string, count: number, batch: number, progress: (done: number) => void): Promise<void> {
  const client = new pg.Client({ connectionString: url, application_name: 'arvut-bench-load' });
  await client.connect();
  try {
    const deposit = JSON.stringify([{ account: 'pool', amount: 1_000_000_000 }, { account: 'adjustments', amount: -1_000_000_000 }]);
    await client.query(`SELECT ledger_post(gen_random_uuid(), $1, 'adjustment', $2::jsonb, NULL, NULL, '{"direction":"in"}'::jsonb)`, [circleId, deposit]);
    const cycleId = randomUUID();
    for (let from = 2; from <= count; from += batch) {
      const to = Math.min(count, from + batch - 1);
      await client.query(
        `SELECT count(ledger_post(gen_random_uuid(), $1,
                  CASE WHEN g % 4 = 0 THEN 'payout' ELSE 'contribution' END,
                  CASE WHEN g % 4 = 0 THEN '[{"account":"pool","amount":-17500},{"account":"payouts","amount":17500}]'::jsonb
                       ELSE '[{"account":"pool","amount":2500},{"account":"contributions","amount":-2500}]'::jsonb END,
                  NULL, NULL,
                  CASE WHEN g % 4 = 0 THEN jsonb_build_object('cycleId', $2::text, 'week', 1 + (g / 4) % 15, 'method', 'cashapp')
                       ELSE '{"method":"cash"}'::jsonb END))
           FROM generate_series($3::int, $4::int) AS g`,
        [circleId, cycleId, from, to],
      );
      progress(to);
    }
    await client.query('VACUUM ANALYZE receipts');
  } finally {
    await client.end();
  }
}

const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

/** Median latency (ms) of `rounds` requests to each path, one at a time, interleaved so both see the same machine. */
export async function sequentialLatency(base: string, token: string, paths: string[], rounds: number): Promise<number[]> {
  const samples = paths.map(() => [] as number[]);
  for (let i = 0; i < rounds; i++) {
    for (const [k, path] of paths.entries()) {
      const t0 = performance.now();
      const res = await fetch(`${base}${path}`, { headers: { authorization: `Bearer ${token}` } });
      await res.arrayBuffer();
      if (res.status !== 200) throw new Error(`GET ${path}: ${res.status}`);
      samples[k].push(performance.now() - t0);
    }
  }
  return samples.map(median);
}

/** Median execution time (ms) of the feed's page query after each seq, measured in PostgreSQL with EXPLAIN ANALYZE. */
export async function pageQueryTime(url: string, circleId: string, afterSeqs: number[], limit: number, rounds: number): Promise<number[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const samples = afterSeqs.map(() => [] as number[]);
    for (let i = 0; i < rounds; i++) {
      for (const [k, after] of afterSeqs.entries()) {
        const { rows } = await client.query<{ 'QUERY PLAN': { 'Execution Time': number }[] }>(
          `EXPLAIN (ANALYZE, FORMAT JSON) ${RECEIPT_PAGE_SQL}`,
          [circleId, after, limit + 1],
        );
        samples[k].push(rows[0]['QUERY PLAN'][0]['Execution Time']);
      }
    }
    return samples.map(median);
  } finally {
    await client.end();
  }
}
