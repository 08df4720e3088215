// A local stand-in for the Stripe API that the real `stripe` SDK talks to (host/port/protocol
// options), holding the objects arvut's handlers re-read. Scenario methods change that state
// the way Stripe would and return the webhook event Stripe would send; `signed()` signs it
// with the SDK's own test-header helper. Only what arvut uses is served.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import Stripe from 'stripe';
import { FakeStripeObjects, parseForm, type Obj } from './fake-stripe-objects.js';

export const FAKE_STRIPE_SECRET_KEY = 'sk_test_x';
export const FAKE_STRIPE_WEBHOOK_SECRET = 'whsec_x';

export interface RecordedRequest {
  method: string;
  path: string;
  idempotencyKey: string | undefined;
  body: Obj;
}

export interface StripeEvent {
  id: string;
  object: 'event';
  type: string;
  created: number;
  api_version: string;
  livemode: false;
  data: { object: Obj };
}

/** Stripe's usual card fee: 2.9 % + 30 minor units, rounded down. */
export const cardFee = (amount: number): number => Math.floor((amount * 29) / 1000) + 30;

export class FakeStripe {
  readonly requests: RecordedRequest[] = [];
  private readonly server: Server;
  private readonly objects = new FakeStripeObjects();
  private readonly idempotent = new Map<string, { status: number; body: string }>();
  /** Set to make every API call answer 500 (an outage). */
  failAll = false;

  private constructor() {
    this.server = createServer((req, res) => void this.handle(req, res));
  }

  static async start(): Promise<FakeStripe> {
    const fake = new FakeStripe();
    await new Promise<void>((resolve) => fake.server.listen(0, '127.0.0.1', resolve));
    return fake;
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  /** The environment that points the app at this server. */
  env(): Record<string, string> {
    return {
      STRIPE_SECRET_KEY: FAKE_STRIPE_SECRET_KEY,
      STRIPE_WEBHOOK_SECRET: FAKE_STRIPE_WEBHOOK_SECRET,
      STRIPE_API_HOST: '127.0.0.1',
      STRIPE_API_PORT: String(this.port),
      STRIPE_API_PROTOCOL: 'http',
    };
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  get(id: string): Obj {
    return this.objects.get(id);
  }

  // ---- scenario: what happens at Stripe, and the event it sends -------------------------

  /** The donor finished Checkout: a subscription now exists and is active. */
  completeCheckout(sessionId: string): StripeEvent {
    const session = this.get(sessionId);
    const sub = this.objects.put('sub', {
      object: 'subscription',
      status: 'active',
      customer: session.customer,
      metadata: { ...(session.subscription_data?.metadata ?? {}) },
      pause_collection: null,
      currency: session.currency,
      items: { object: 'list', data: [{ price: { unit_amount: session.amount, currency: session.currency, recurring: { interval: 'week' } } }] },
    });
    Object.assign(session, { status: 'complete', payment_status: 'paid', subscription: sub.id });
    return this.event('checkout.session.completed', session);
  }

  /** A weekly invoice is paid by card; fee and net land in a balance transaction. */
  payInvoice(subscriptionId: string, options: { fee?: number; invoiceId?: string } = {}): StripeEvent {
    const sub = this.get(subscriptionId);
    const invoice = options.invoiceId ? this.get(options.invoiceId) : this.openInvoice(sub);
    const amount = invoice.amount_due as number;
    const fee = options.fee ?? cardFee(amount);
    const bt = this.objects.put('txn', { object: 'balance_transaction', amount, fee, net: amount - fee, currency: invoice.currency, type: 'charge' });
    const pi = this.objects.put('pi', { object: 'payment_intent', amount, currency: invoice.currency, status: 'succeeded', latest_charge: null });
    const charge = this.objects.put('ch', {
      object: 'charge',
      amount,
      amount_refunded: 0,
      currency: invoice.currency,
      balance_transaction: bt.id,
      payment_intent: pi.id,
      customer: sub.customer,
      paid: true,
      refunded: false,
      disputed: false,
      status: 'succeeded',
      metadata: {},
    });
    pi.latest_charge = charge.id;
    this.objects.put('inpay', { object: 'invoice_payment', invoice: invoice.id, is_default: true, status: 'paid', amount_paid: amount, currency: invoice.currency, payment: { type: 'payment_intent', payment_intent: pi.id } });
    Object.assign(invoice, { status: 'paid', amount_paid: amount, amount_remaining: 0, status_transitions: { paid_at: this.objects.tick() } });
    sub.status = 'active';
    return this.event('invoice.paid', invoice);
  }

  /** A weekly invoice's charge fails: the invoice stays open and the subscription is past due. */
  failInvoice(subscriptionId: string): { event: StripeEvent; invoiceId: string } {
    const sub = this.get(subscriptionId);
    const invoice = this.openInvoice(sub);
    invoice.attempt_count = 1;
    invoice.attempted = true;
    sub.status = 'past_due';
    return { event: this.event('invoice.payment_failed', invoice), invoiceId: invoice.id };
  }

  refund(chargeId: string, amount: number): StripeEvent {
    const charge = this.get(chargeId);
    this.objects.put('re', { object: 'refund', amount, charge: charge.id, currency: charge.currency, status: 'succeeded', payment_intent: charge.payment_intent });
    charge.amount_refunded += amount;
    charge.refunded = charge.amount_refunded >= charge.amount;
    return this.event('charge.refunded', charge);
  }

  dispute(chargeId: string, options: { amount?: number; fee?: number } = {}): { event: StripeEvent; disputeId: string } {
    const charge = this.get(chargeId);
    const amount = options.amount ?? charge.amount;
    const fee = options.fee ?? 1500;
    const dispute = this.objects.put('dp', {
      object: 'dispute',
      amount,
      charge: charge.id,
      currency: charge.currency,
      status: 'needs_response',
      payment_intent: charge.payment_intent,
      balance_transactions: [{ object: 'balance_transaction', id: this.objects.id('txn'), amount: -(amount + fee), fee, net: -(amount + fee), currency: charge.currency }],
    });
    charge.disputed = true;
    return { event: this.event('charge.dispute.created', dispute), disputeId: dispute.id };
  }

  closeDispute(disputeId: string, outcome: 'won' | 'lost'): StripeEvent {
    const dispute = this.get(disputeId);
    dispute.status = outcome;
    return this.event('charge.dispute.closed', dispute);
  }

  cancelSubscription(subscriptionId: string): StripeEvent {
    const sub = this.get(subscriptionId);
    sub.status = 'canceled';
    return this.event('customer.subscription.deleted', sub);
  }

  /** The charge of a paid invoice. */
  chargeOf(invoiceId: string): string {
    const payment = this.objects.all('invoice_payment').find((o) => o.invoice === invoiceId && o.status === 'paid');
    if (!payment) throw new Error(`invoice ${invoiceId} is not paid`);
    return this.get(payment.payment.payment_intent).latest_charge;
  }

  /** The raw body and Stripe-Signature header Stripe would send for `event`. */
  signed(event: StripeEvent, secret = FAKE_STRIPE_WEBHOOK_SECRET): { body: string; signature: string } {
    const body = JSON.stringify(event);
    return { body, signature: Stripe.webhooks.generateTestHeaderString({ payload: body, secret }) };
  }

  // ---- internals ------------------------------------------------------------------------

  private openInvoice(sub: Obj): Obj {
    const price = sub.items.data[0].price;
    return this.objects.put('in', {
      object: 'invoice',
      status: 'open',
      currency: price.currency,
      amount_due: price.unit_amount,
      amount_paid: 0,
      amount_remaining: price.unit_amount,
      attempt_count: 0,
      attempted: false,
      customer: sub.customer,
      parent: { type: 'subscription_details', quote_details: null, subscription_details: { subscription: sub.id, metadata: { ...sub.metadata } } },
      status_transitions: { paid_at: null },
    });
  }




  private event(type: string, object: Obj): StripeEvent {
    const event: StripeEvent = { id: this.objects.id('evt'), object: 'event', type, created: this.objects.tick(), api_version: Stripe.API_VERSION, livemode: false, data: { object: structuredClone(object) } };
    return event;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const url = new URL(req.url ?? '/', 'http://fake');
    const method = req.method ?? 'GET';
    const body = method === 'GET' ? parseForm(url.search.slice(1)) : parseForm(Buffer.concat(chunks).toString('utf8') || url.search.slice(1));
    const idempotencyKey = typeof req.headers['idempotency-key'] === 'string' ? req.headers['idempotency-key'] : undefined;
    this.requests.push({ method, path: url.pathname, idempotencyKey, body });
    const send = (status: number, payload: unknown) => {
      const text = JSON.stringify(payload);
      if (idempotencyKey && method !== 'GET') this.idempotent.set(idempotencyKey, { status, body: text });
      res.writeHead(status, { 'content-type': 'application/json', 'request-id': `req_${this.requests.length}` });
      res.end(text);
    };
    if (req.headers.authorization !== `Bearer ${FAKE_STRIPE_SECRET_KEY}`) return send(401, { error: { type: 'invalid_request_error', message: 'Invalid API Key provided' } });
    if (this.failAll) return send(500, { error: { type: 'api_error', message: 'fake outage' } });
    const replay = idempotencyKey && method !== 'GET' ? this.idempotent.get(idempotencyKey) : undefined;
    if (replay) {
      res.writeHead(replay.status, { 'content-type': 'application/json', 'idempotent-replayed': 'true' });
      return void res.end(replay.body);
    }
    try {
      const result = this.objects.route(method, url.pathname, body);
      if (result === undefined) return send(404, { error: { type: 'invalid_request_error', code: 'resource_missing', message: `No such object: ${url.pathname}` } });
      send(200, result);
    } catch (error) {
      send(400, { error: { type: 'invalid_request_error', message: (error as Error).message } });
    }
  }

}
