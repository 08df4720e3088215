import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { registerAndLogin } from '../support/auth.js';
import { addMember, createCircle, type TestUser } from '../support/circles.js';
import { cardFee, FakeStripe, type StripeEvent } from '../support/fake-stripe.js';
import { balances, checkLedger } from '../support/ledger.js';
import { deliver, pledgeAction, postContribution, postPledge, today } from '../support/pledges.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { authHeader } from '../support/problems.js';

describe('card pledges through Stripe', () => {
  let stripe: FakeStripe;
  let t: TestApp;
  let organizer: TestUser;

  beforeAll(async () => {
    stripe = await FakeStripe.start();
    t = await createTestApp(stripe.env());
    organizer = await registerAndLogin(t);
  });
  afterAll(async () => {
    await t.close();
    await stripe.close();
  });


  /** A circle with a donor whose card pledge has completed checkout. */
  async function activeCardPledge(amount = 2000): Promise<{ circleId: string; donor: TestUser; pledgeId: string; subscriptionId: string }> {
    const circleId = await createCircle(t, organizer, { timezone: 'UTC' });
    const donor = await addMember(t, circleId, organizer, 'donor');
    const created = await postPledge(t, donor, circleId, { amount, method: 'card' });
    expect(created.status).toBe(201);
    const sessionId = String(created.body.checkoutUrl).split('/').pop()!;
    const completed = stripe.completeCheckout(sessionId);
    expect((await deliver(t, stripe, completed)).status).toBe(200);
    return { circleId, donor, pledgeId: created.body.id, subscriptionId: stripe.get(sessionId).subscription };
  }

  async function pledgeOf(circleId: string, user: TestUser, pledgeId: string): Promise<{ status: string }> {
    const res = await t.http().get(`/v1/circles/${circleId}/pledges`).set(authHeader(user)).expect(200);
    return res.body.items.find((p: { id: string }) => p.id === pledgeId);
  }

  async function contributionsOf(circleId: string): Promise<{ amount: number; fee: number; net: number; refunded: number; disputed: number; shortfall: number; method: string }[]> {
    return (await t.http().get(`/v1/circles/${circleId}/contributions`).set(authHeader(organizer)).expect(200)).body.items;
  }

  const eventCount = async (): Promise<number> => Number((await t.sql.query('SELECT count(*) AS n FROM payment_events')).rows[0].n);

  it('creates a weekly Checkout for a card pledge, with a customer that holds only the email', async () => {
    const circleId = await createCircle(t, organizer, { timezone: 'UTC' });
    const donor = await addMember(t, circleId, organizer, 'donor');
    const before = stripe.requests.length;
    const res = await postPledge(t, donor, circleId, { amount: 2000, method: 'card' });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ status: 'pending', method: 'card', amount: 2000, currency: 'USD', donorUserId: donor.userId });
    expect(res.body.checkoutUrl).toMatch(/^https:\/\/checkout\.stripe\.test\/c\/pay\/cs_test_/);
    const posts = stripe.requests.slice(before).filter((r) => r.method === 'POST');
    const customer = posts.find((r) => r.path === '/v1/customers')!;
    // Invariant 9: Stripe receives the donor's email and nothing else about them.
    expect(customer.body).toEqual({ email: donor.email });
    const checkout = posts.find((r) => r.path === '/v1/checkout/sessions')!;
    expect(checkout.body).toMatchObject({
      mode: 'subscription',
      client_reference_id: res.body.id,
      line_items: { '0': { price_data: { currency: 'usd', unit_amount: '2000', recurring: { interval: 'week' } } } },
      subscription_data: { metadata: { arvut_pledge_id: res.body.id } },
    });
    // Every create carries a key derived from arvut's own ids, so a retry makes nothing twice.
    expect(customer.idempotencyKey).toBe(`arvut-customer-${circleId}-${donor.userId}`);
    expect(checkout.idempotencyKey).toBe(`arvut-checkout-${res.body.id}`);

    // A second pledge by the same donor reuses the customer.
    await postPledge(t, donor, circleId, { amount: 500, method: 'card' });
    expect(stripe.requests.filter((r) => r.path === '/v1/customers' && r.body.email === donor.email)).toHaveLength(1);
  });

  it('activates the pledge when Checkout completes, and books each paid invoice net of the Stripe fee', async () => {
    const { circleId, donor, pledgeId, subscriptionId } = await activeCardPledge(2000);
    expect((await pledgeOf(circleId, donor, pledgeId)).status).toBe('active');
    for (let week = 0; week < 2; week++) {
      const res = await deliver(t, stripe, stripe.payInvoice(subscriptionId));
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ received: true, outcome: 'processed' });
    }
    const fee = cardFee(2000);
    expect(await balances(t, organizer, circleId)).toMatchObject({ contributions: 4000, pool: 2 * (2000 - fee), fees: 2 * fee, clearing: 0 });
    const items = await contributionsOf(circleId);
    expect(items).toHaveLength(2);
    expect(items[0]).toMatchObject({ method: 'card', amount: 2000, fee, net: 2000 - fee, status: 'posted' });
    // The donor sees their own card contributions.
    const mine = await t.http().get(`/v1/circles/${circleId}/contributions`).set(authHeader(donor)).expect(200);
    expect(mine.body.items).toHaveLength(2);
    expect((await checkLedger(t, organizer, circleId)).ok).toBe(true);
  });

  it('processes each event once: a redelivered event is a duplicate and books nothing', async () => {
    const { circleId, subscriptionId } = await activeCardPledge(3000);
    const paid = stripe.payInvoice(subscriptionId);
    expect((await deliver(t, stripe, paid)).body.outcome).toBe('processed');
    const again = await Promise.all([deliver(t, stripe, paid), deliver(t, stripe, paid)]);
    expect(again.map((r) => [r.status, r.body.outcome])).toEqual([
      [200, 'duplicate'],
      [200, 'duplicate'],
    ]);
    expect((await balances(t, organizer, circleId)).contributions).toBe(3000);
    expect(await contributionsOf(circleId)).toHaveLength(1);
    // Two first deliveries at once: the event's key lets exactly one of them act.
    const next = stripe.payInvoice(subscriptionId);
    const racing = await Promise.all([deliver(t, stripe, next), deliver(t, stripe, next), deliver(t, stripe, next)]);
    expect(racing.map((r) => r.body.outcome).sort()).toEqual(['duplicate', 'duplicate', 'processed']);
    expect((await balances(t, organizer, circleId)).contributions).toBe(6000);
  });

  it('books one contribution per Stripe payment even when two different events name it at once', async () => {
    const { circleId, subscriptionId } = await activeCardPledge(2500);
    const paid = stripe.payInvoice(subscriptionId);
    // Same invoice, two distinct events (Stripe sends invoice.paid and may resend under a new id).
    const twin: StripeEvent = { ...paid, id: `${paid.id}_twin` };
    const results = await Promise.all([deliver(t, stripe, paid), deliver(t, stripe, twin)]);
    expect(results.map((r) => r.status).sort()).toEqual([200, 200]);
    expect(await contributionsOf(circleId)).toHaveLength(1);
    expect((await balances(t, organizer, circleId)).contributions).toBe(2500);
  });

  it('refuses a missing or wrong signature with 400 and stores nothing', async () => {
    const { circleId, subscriptionId } = await activeCardPledge(2000);
    const paid = stripe.payInvoice(subscriptionId);
    const before = await eventCount();
    const { body, signature } = stripe.signed(paid, 'whsec_someone_else');
    const cases = [
      t.http().post('/v1/payments/stripe/webhook').set('Content-Type', 'application/json').send(body),
      t.http().post('/v1/payments/stripe/webhook').set('Content-Type', 'application/json').set('Stripe-Signature', signature).send(body),
      t.http().post('/v1/payments/stripe/webhook').set('Content-Type', 'application/json').set('Stripe-Signature', stripe.signed(paid).signature).send(body.replace('"invoice.paid"', '"invoice.paid" ')),
    ];
    for (const res of await Promise.all(cases)) {
      expect(res.status).toBe(400);
      expect(res.body.type).toBe('urn:arvut:problem:bad-signature');
    }
    expect(await eventCount()).toBe(before);
    expect(await contributionsOf(circleId)).toHaveLength(0);
    expect((await balances(t, organizer, circleId)).pool).toBe(0);
  });

  it('takes a partial refund back from the pool and shows it on the contribution', async () => {
    const { circleId, subscriptionId } = await activeCardPledge(2000);
    const paid = stripe.payInvoice(subscriptionId);
    await deliver(t, stripe, paid);
    const charge = stripe.chargeOf(paid.data.object.id);
    expect((await deliver(t, stripe, stripe.refund(charge, 700))).status).toBe(200);
    const fee = cardFee(2000);
    expect(await balances(t, organizer, circleId)).toMatchObject({ contributions: 1300, pool: 2000 - fee - 700, fees: fee });
    expect((await contributionsOf(circleId))[0]).toMatchObject({ refunded: 700, shortfall: 0 });
    // The rest is refunded later: one more compensation, for the new refund only.
    await deliver(t, stripe, stripe.refund(charge, 1300));
    expect((await balances(t, organizer, circleId)).contributions).toBe(0);
    expect((await contributionsOf(circleId))[0].refunded).toBe(2000);
    expect((await checkLedger(t, organizer, circleId)).ok).toBe(true);
  });

  it('never lets a refund take the pool below zero: the shortfall is booked to adjustments and surfaced', async () => {
    const { circleId, subscriptionId } = await activeCardPledge(2000);
    const paid = stripe.payInvoice(subscriptionId);
    await deliver(t, stripe, paid);
    // Stripe keeps its fee on a full refund, so the pool holds less than what goes back.
    expect((await deliver(t, stripe, stripe.refund(stripe.chargeOf(paid.data.object.id), 2000))).status).toBe(200);
    const fee = cardFee(2000);
    expect(await balances(t, organizer, circleId)).toMatchObject({ pool: 0, contributions: 0, adjustments: fee });
    expect((await contributionsOf(circleId))[0]).toMatchObject({ refunded: 2000, shortfall: fee });
    expect((await checkLedger(t, organizer, circleId)).ok).toBe(true);
  });

  it('takes a disputed payment and the dispute fee back, and returns them when the dispute is won', async () => {
    const { circleId, subscriptionId } = await activeCardPledge(5000);
    const first = stripe.payInvoice(subscriptionId);
    const second = stripe.payInvoice(subscriptionId);
    await deliver(t, stripe, first);
    await deliver(t, stripe, second);
    const before = await balances(t, organizer, circleId);
    const { event, disputeId } = stripe.dispute(stripe.chargeOf(first.data.object.id), { fee: 1500 });
    expect((await deliver(t, stripe, event)).status).toBe(200);
    const disputed = await balances(t, organizer, circleId);
    expect(disputed.pool).toBe(before.pool - 5000 - 1500);
    expect(disputed.contributions).toBe(before.contributions - 5000);
    expect(disputed.fees).toBe(before.fees + 1500);
    expect((await contributionsOf(circleId)).find((c) => c.disputed > 0)).toMatchObject({ disputed: 5000 });
    expect((await deliver(t, stripe, stripe.closeDispute(disputeId, 'won'))).status).toBe(200);
    expect(await balances(t, organizer, circleId)).toEqual(before);
    expect((await checkLedger(t, organizer, circleId)).ok).toBe(true);
  });

  it('marks the pledge past due when a payment fails, and active again when it succeeds', async () => {
    const { circleId, donor, pledgeId, subscriptionId } = await activeCardPledge(2000);
    await deliver(t, stripe, stripe.payInvoice(subscriptionId));
    const { event, invoiceId } = stripe.failInvoice(subscriptionId);
    expect((await deliver(t, stripe, event)).status).toBe(200);
    expect((await pledgeOf(circleId, donor, pledgeId)).status).toBe('past_due');
    expect(await contributionsOf(circleId)).toHaveLength(1);
    expect((await deliver(t, stripe, stripe.payInvoice(subscriptionId, { invoiceId }))).status).toBe(200);
    expect((await pledgeOf(circleId, donor, pledgeId)).status).toBe('active');
    expect(await contributionsOf(circleId)).toHaveLength(2);
    const history = await t.sql.query('SELECT from_status, to_status, actor FROM pledge_history WHERE pledge_id = $1 ORDER BY id', [pledgeId]);
    expect(history.rows.map((r) => `${r.from_status}→${r.to_status}:${r.actor}`)).toEqual(['null→pending:user', 'pending→active:provider', 'active→past_due:provider', 'past_due→active:provider']);
  });

  it('refuses a hand-recorded contribution for a card pledge (409): its money comes through Stripe', async () => {
    const { circleId, pledgeId } = await activeCardPledge(2000);
    const res = await postContribution(t, organizer, circleId, { pledgeId, amount: 2000, method: 'cash', receivedOn: today('UTC') });
    expect(res.status).toBe(409);
    expect(res.body.type).toBe('urn:arvut:problem:invalid-state');
    expect((await balances(t, organizer, circleId)).pool).toBe(0);
  });

  it('cancels the pledge when Stripe deletes the subscription', async () => {
    const { circleId, donor, pledgeId, subscriptionId } = await activeCardPledge(2000);
    expect((await deliver(t, stripe, stripe.cancelSubscription(subscriptionId))).status).toBe(200);
    expect((await pledgeOf(circleId, donor, pledgeId)).status).toBe('cancelled');
  });

  it('cancels, pauses and resumes the Stripe subscription when the donor does', async () => {
    const { circleId, donor, pledgeId, subscriptionId } = await activeCardPledge(2000);
    expect((await pledgeAction(t, donor, circleId, pledgeId, 'pause')).body.status).toBe('paused');
    expect(stripe.get(subscriptionId).pause_collection).toEqual({ behavior: 'void' });
    expect((await pledgeAction(t, donor, circleId, pledgeId, 'resume')).body.status).toBe('active');
    expect(stripe.get(subscriptionId).pause_collection).toBeNull();
    const before = stripe.requests.length;
    expect((await pledgeAction(t, donor, circleId, pledgeId, 'cancel')).body.status).toBe('cancelled');
    expect(stripe.get(subscriptionId).status).toBe('canceled');
    const cancel = stripe.requests.slice(before).find((r) => r.method === 'DELETE')!;
    expect(cancel.idempotencyKey).toMatch(new RegExp(`^arvut-cancel-${pledgeId}-v\\d+$`));
    // Stripe's own deletion event afterwards changes nothing.
    expect((await deliver(t, stripe, stripe.cancelSubscription(subscriptionId))).status).toBe(200);
    expect((await pledgeOf(circleId, donor, pledgeId)).status).toBe('cancelled');
  });

  it('cancels at Stripe a subscription whose pledge was cancelled before checkout finished', async () => {
    const circleId = await createCircle(t, organizer, { timezone: 'UTC' });
    const donor = await addMember(t, circleId, organizer, 'donor');
    const created = await postPledge(t, donor, circleId, { amount: 2000, method: 'card' });
    expect((await pledgeAction(t, donor, circleId, created.body.id, 'cancel')).body.status).toBe('cancelled');
    const sessionId = String(created.body.checkoutUrl).split('/').pop()!;
    expect((await deliver(t, stripe, stripe.completeCheckout(sessionId))).status).toBe(200);
    expect(stripe.get(stripe.get(sessionId).subscription).status).toBe('canceled');
    expect((await pledgeOf(circleId, donor, created.body.id)).status).toBe('cancelled');
  });

  it('answers 503 while Stripe is down and stores nothing, so Stripe retries', async () => {
    const { circleId, subscriptionId } = await activeCardPledge(2000);
    const paid = stripe.payInvoice(subscriptionId);
    const before = await eventCount();
    stripe.failAll = true;
    try {
      const res = await deliver(t, stripe, paid);
      expect(res.status).toBe(503);
      expect(res.body.type).toBe('urn:arvut:problem:unavailable');
    } finally {
      stripe.failAll = false;
    }
    expect(await eventCount()).toBe(before);
    expect((await deliver(t, stripe, paid)).body.outcome).toBe('processed');
    expect(await contributionsOf(circleId)).toHaveLength(1);
  });
});
