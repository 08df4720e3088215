import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { runLedgerCheck } from '../../src/ledger/ledger-check.js';
import { registerAndLogin } from '../support/auth.js';
import { createCircle, type TestUser } from '../support/circles.js';
import { balances } from '../support/ledger.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

const CLIENTS = 32;
const OPERATIONS = 5200;
const SPREAD_CIRCLES = 24;

/** A small deterministic PRNG, so a failing run can be repeated with its seed. */
function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let r = Math.imul(s ^ (s >>> 15), 1 | s);
    r = (r + Math.imul(r ^ (r >>> 7), 61 | r)) ^ r;
    return ((r ^ (r >>> 14)) >>> 0) / 4294967296;
  };
}

interface Sent {
  status: number;
  type?: string;
  replayed: boolean;
  text: string;
}

describe('the ledger under concurrent HTTP load', () => {
  let t: TestApp;
  let organizer: TestUser;
  let base: string;
  let hot: string;
  let spread: string[];

  beforeAll(async () => {
    t = await createTestApp();
    await t.app.listen(0, '127.0.0.1');
    base = `http://127.0.0.1:${(t.app.getHttpServer().address() as AddressInfo).port}`;
    organizer = await registerAndLogin(t);
    hot = await createCircle(t, organizer);
    spread = [];
    for (let i = 0; i < SPREAD_CIRCLES; i++) spread.push(await createCircle(t, organizer));
  });
  afterAll(async () => {
    await t.close();
  });

  async function send(circleId: string, key: string, body: { direction: 'in' | 'out'; amount: number }): Promise<Sent> {
    const res = await fetch(`${base}/v1/circles/${circleId}/ledger/adjustments`, {
      method: 'POST',
      headers: { authorization: `Bearer ${organizer.accessToken}`, 'content-type': 'application/json', 'idempotency-key': key },
      body: JSON.stringify(body),
    });
    const text = await res.text();
    const type = res.headers.get('content-type')?.includes('problem+json') ? (JSON.parse(text).type as string) : undefined;
    return { status: res.status, type, replayed: res.headers.get('idempotency-replayed') === 'true', text };
  }

  it('≥ 32 clients, ≥ 5,000 operations with retries, key reuse and overdrafts: books match the model, check clean, no 5xx', async () => {
    const seed = Number(process.env.LEDGER_LOAD_SEED ?? Date.now() % 1_000_000);
    const model = new Map<string, bigint>([hot, ...spread].map((c) => [c, 0n]));
    const statuses = new Map<number, number>();
    const counts = { sent: 0, replays: 0, inFlight: 0, reused: 0, overdrafts: 0, refusedOuts: 0 };
    const problems: string[] = [];
    const record = (what: string, r: Sent): void => {
      statuses.set(r.status, (statuses.get(r.status) ?? 0) + 1);
      counts.sent++;
      if (r.status >= 500) problems.push(`${what}: ${r.status} ${r.text}`);
    };
    const expectThat = (ok: boolean, what: string, r: Sent): void => {
      if (!ok) problems.push(`${what}: got ${r.status} ${r.type ?? ''} replayed=${r.replayed}`);
    };

    const client = async (n: number): Promise<void> => {
      const random = prng(seed * 100 + n);
      while (counts.sent < OPERATIONS) {
        const circleId = random() < 0.5 ? hot : spread[Math.floor(random() * spread.length)];
        const roll = random();
        const key = randomUUID();
        if (roll < 0.05) {
          // More than any pool can hold: always refused, nothing changes.
          const r = await send(circleId, key, { direction: 'out', amount: 1_000_000_000 });
          record('overdraft', r);
          counts.overdrafts++;
          expectThat(r.status === 409 && r.type === 'urn:arvut:problem:insufficient-funds', 'overdraft', r);
          continue;
        }
        const body = { direction: roll < 0.7 ? ('in' as const) : ('out' as const), amount: 1 + Math.floor(random() * 2000) };
        const concurrentRetry = random() < 0.03;
        const [first, early] = await Promise.all([send(circleId, key, body), concurrentRetry ? send(circleId, key, body) : Promise.resolve(undefined)]);
        record('adjustment', first);
        if (first.status === 409 && first.type === 'urn:arvut:problem:insufficient-funds' && body.direction === 'out') {
          counts.refusedOuts++;
          continue;
        }
        // With a concurrent retry either may have run first; the other is in flight or a replay.
        const outcomes = early ? [first, early] : [first];
        if (early) record('concurrent retry', early);
        const ran = outcomes.filter((r) => r.status === 201 && !r.replayed);
        const refused = outcomes.filter((r) => r.status === 409 && r.type === 'urn:arvut:problem:insufficient-funds');
        counts.inFlight += outcomes.filter((r) => r.type === 'urn:arvut:problem:idempotency-key-in-flight').length;
        if (refused.length) {
          counts.refusedOuts++;
          expectThat(body.direction === 'out' && ran.length === 0, 'refusal beside a success', refused[0]);
          continue;
        }
        expectThat(ran.length === 1, 'exactly one execution per key', first);
        if (ran.length !== 1) continue;
        model.set(circleId, model.get(circleId)! + (body.direction === 'in' ? 1n : -1n) * BigInt(body.amount));
        if (outcomes.every((r) => r.status === 201)) expectThat(outcomes.every((r) => r.text === ran[0].text), 'concurrent replay identical', first);
        const wasInFlight = outcomes.some((r) => r.status === 409);

        const after = random();
        if (after < 0.1 || wasInFlight) {
          const again = await send(circleId, key, body);
          record('retry', again);
          counts.replays++;
          expectThat(again.status === 201 && again.replayed && again.text === ran[0].text, 'retry replays', again);
        } else if (after < 0.12) {
          const reused = await send(circleId, key, { ...body, amount: body.amount + 1 });
          record('reuse', reused);
          counts.reused++;
          expectThat(reused.status === 422 && reused.type === 'urn:arvut:problem:idempotency-key-reused', 'key reuse', reused);
        }
      }
    };

    const started = Date.now();
    await Promise.all(Array.from({ length: CLIENTS }, (_, n) => client(n)));
    const seconds = (Date.now() - started) / 1000;
    const summary = `seed ${seed}: ${counts.sent} requests in ${seconds.toFixed(1)} s; statuses ${JSON.stringify(Object.fromEntries(statuses))}; ${JSON.stringify(counts)}`;
    expect({ summary, problems: problems.slice(0, 20) }).toEqual({ summary, problems: [] });

    expect(counts.sent).toBeGreaterThanOrEqual(OPERATIONS);
    expect(counts.replays).toBeGreaterThan(OPERATIONS * 0.05);
    expect(counts.reused).toBeGreaterThan(OPERATIONS * 0.01);
    expect(counts.overdrafts).toBeGreaterThan(OPERATIONS * 0.03);
    for (const [circleId, pool] of model) {
      const shown = await balances(t, organizer, circleId);
      expect({ circleId, pool: shown.pool, adjustments: shown.adjustments }).toEqual({ circleId, pool: Number(pool), adjustments: Number(pool) });
    }
    const check = await runLedgerCheck(async (sql, params) => (await t.sql.query(sql, params)).rows, null);
    expect(check.results.filter((r) => !r.ok)).toEqual([]);
  }, 400_000); // 5,000 operations take ~40 s alone; far longer beside other suites on a 2-core machine
});
