import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { registerAndLogin } from '../support/auth.js';
import { addMember, createCircle, type TestUser } from '../support/circles.js';
import { FakeStripe, type StripeEvent } from '../support/fake-stripe.js';
import { checkLedger } from '../support/ledger.js';
import { deliver, postContribution, postPledge, today } from '../support/pledges.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

/** A small seeded PRNG (mulberry32), so a failing shuffle can be replayed. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let x = Math.imul(a ^ (a >>> 15), 1 | a);
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}

function shuffle<T>(items: T[], random: () => number): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

describe('a month of Stripe events, delivered in any order and more than once', () => {
  let stripe: FakeStripe;
  let t: TestApp;
  let organizer: TestUser;
  // Each shuffle is seeded, so a failure names a seed to replay with REPLAY_SEED=….
  const seed = Number(process.env.REPLAY_SEED ?? 100);

  beforeAll(async () => {
    stripe = await FakeStripe.start();
    t = await createTestApp(stripe.env());
    organizer = await registerAndLogin(t);
  });
  afterAll(async () => {
    await t.close();
    await stripe.close();
  });

  /**
   * Four card donors over four weekly invoices: a failed payment later paid, a partial and
   * a full refund, a dispute, a pause and a cancellation. Returns the circle and every event
   * in the order Stripe would have sent them.
   */
  async function month(): Promise<{ circleId: string; events: StripeEvent[]; pledgeIds: string[] }> {
    const circleId = await createCircle(t, organizer, { timezone: 'UTC' });
    // Cash on hand, so no refund in any order meets an empty pool (the shortfall rule is order-dependent by design).
    const seedRes = await postContribution(t, organizer, circleId, { amount: 100_000, method: 'cash', receivedOn: today('UTC') });
    expect(seedRes.status).toBe(201);
    const events: StripeEvent[] = [];
    const subs: string[] = [];
    const pledgeIds: string[] = [];
    for (const amount of [2000, 3500, 5000, 1000]) {
      const donor = await addMember(t, circleId, organizer, 'donor');
      const created = await postPledge(t, donor, circleId, { amount, method: 'card' });
      expect(created.status).toBe(201);
      pledgeIds.push(created.body.id);
      const completed = stripe.completeCheckout(String(created.body.checkoutUrl).split('/').pop()!);
      events.push(completed);
      subs.push(stripe.get(completed.data.object.id).subscription);
    }
    const [a, b, c, d] = subs;
    const invoices: Record<string, string[]> = { [a]: [], [b]: [], [c]: [], [d]: [] };
    const pay = (sub: string, invoiceId?: string) => {
      const e = stripe.payInvoice(sub, invoiceId ? { invoiceId } : {});
      invoices[sub].push(e.data.object.id);
      events.push(e);
    };
    for (let week = 1; week <= 4; week++) {
      pay(a);
      if (week === 2 || week === 4) {
        const failed = stripe.failInvoice(b);
        events.push(failed.event);
        pay(b, failed.invoiceId);
      } else pay(b);
      if (week <= 3) pay(c);
      if (week === 3) {
        const failed = stripe.failInvoice(d);
        events.push(failed.event);
        pay(d, failed.invoiceId);
      } else pay(d);
      if (week === 2) events.push(stripe.refund(stripe.chargeOf(invoices[a][0]), 600));
      if (week === 3) events.push(stripe.refund(stripe.chargeOf(invoices[c][1]), 5000));
      if (week === 3) events.push(stripe.dispute(stripe.chargeOf(invoices[d][1]), { fee: 1500 }).event);
    }
    events.push(stripe.cancelSubscription(c));
    return { circleId, events, pledgeIds };
  }

  /** Delivers like Stripe: a non-2xx answer is retried later; a 5xx here would be a bug. */
  async function deliverAll(events: StripeEvent[], concurrency: number): Promise<number[]> {
    const statuses: number[] = [];
    const queue = [...events];
    const worker = async () => {
      for (let event = queue.shift(); event; event = queue.shift()) {
        for (let attempt = 1; ; attempt++) {
          const res = await deliver(t, stripe, event);
          statuses.push(res.status);
          if (res.status === 200) break;
          if (attempt === 5) throw new Error(`event ${event.type} kept failing: ${res.status} ${JSON.stringify(res.body)}`);
        }
      }
    };
    await Promise.all(Array.from({ length: concurrency }, worker));
    return statuses;
  }

  type Books = { transfers: string[]; accounts: { kind: string; debit_total: string; credit_total: string }[]; contributions: string[]; pledges: string[] };

  /** The circle's books with everything that differs between two circles (ids, times) left out. */
  async function books(circleId: string, pledgeIds: string[]): Promise<unknown> {
    const transfers = await t.sql.query(
      `SELECT t.kind || CASE WHEN t.reverses IS NULL THEN '' ELSE ' (reversal)' END || ' ' ||
              string_agg(a.kind || ' ' || e.amount, ', ' ORDER BY a.kind) AS line
         FROM ledger_transfers t JOIN ledger_entries e ON e.transfer_id = t.id JOIN ledger_accounts a ON a.id = e.account_id
        WHERE t.circle_id = $1 GROUP BY t.id ORDER BY line`,
      [circleId],
    );
    const accounts = await t.sql.query('SELECT kind, debit_total::text, credit_total::text FROM ledger_accounts WHERE circle_id = $1 ORDER BY kind', [circleId]);
    const contributions = await t.sql.query(
      `SELECT method || ' ' || amount || ' fee ' || fee || ' ' || status AS line FROM contributions WHERE circle_id = $1 ORDER BY line`,
      [circleId],
    );
    const statuses = await t.sql.query('SELECT id, status FROM pledges WHERE circle_id = $1', [circleId]);
    const statusOf = new Map(statuses.rows.map((r) => [r.id, r.status]));
    return {
      transfers: transfers.rows.map((r) => r.line),
      accounts: accounts.rows,
      contributions: contributions.rows.map((r) => r.line),
      pledges: pledgeIds.map((id) => statusOf.get(id)),
    };
  }

  it('ends with the same books as one in-order delivery', async () => {
    const inOrder = await month();
    expect(await deliverAll(inOrder.events, 1)).toEqual(inOrder.events.map(() => 200));
    const expected = (await books(inOrder.circleId, inOrder.pledgeIds)) as Books;
    // The books are what the month says, not merely the same twice.
    expect(expected.pledges).toEqual(['active', 'active', 'cancelled', 'active']);
    expect(expected.contributions.filter((l) => l.startsWith('card'))).toHaveLength(15);
    // Cash 100000 + card 41000 gross − refunds 600 and 5000 − a 1000 dispute.
    const income = expected.accounts.find((a) => a.kind === 'contributions')!;
    expect(BigInt(income.credit_total) - BigInt(income.debit_total)).toBe(134_400n);
    expect(expected.transfers.filter((l) => /^contribution_(refund|dispute) /.test(l))).toHaveLength(3);

    for (const round of [0, 1, 2]) {
      const replayed = await month();
      const threeTimes = shuffle([...replayed.events, ...replayed.events, ...replayed.events], prng(seed + round));
      const statuses = await deliverAll(threeTimes, 2);
      expect(statuses.filter((s) => s >= 500)).toEqual([]);
      expect({ seed: seed + round, books: await books(replayed.circleId, replayed.pledgeIds) }).toEqual({ seed: seed + round, books: expected });
      const processed = await t.sql.query('SELECT count(*)::int AS n FROM payment_events WHERE event_id = ANY($1)', [replayed.events.map((e) => e.id)]);
      expect(processed.rows[0].n).toBe(replayed.events.length);
      expect((await checkLedger(t, organizer, replayed.circleId)).ok).toBe(true);
    }
  }, 180_000);
});
