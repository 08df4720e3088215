// The objects of the fake Stripe API and the REST routes that serve them (see fake-stripe.ts).
import { randomBytes } from 'node:crypto';

// Stripe objects are loosely shaped JSON; the fake does not model their types.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Obj = Record<string, any>;

/** The object type each API path serves. */
const OBJECT_OF: Record<string, string> = {
  customers: 'customer',
  'checkout/sessions': 'checkout.session',
  subscriptions: 'subscription',
  invoices: 'invoice',
  payment_intents: 'payment_intent',
  charges: 'charge',
  balance_transactions: 'balance_transaction',
  disputes: 'dispute',
};

/** Decodes Stripe's form encoding (`a[b][0]=x`) into nested objects; arrays stay index-keyed objects. */
export function parseForm(text: string): Obj {
  const root: Obj = {};
  for (const [key, value] of new URLSearchParams(text)) {
    const path = key.replace(/\]/g, '').split('[');
    let node = root;
    for (const part of path.slice(0, -1)) node = node[part] ??= {};
    node[path[path.length - 1]] = value;
  }
  return root;
}

/** Holds the objects, hands out ids and timestamps, and answers the API paths arvut calls. */
export class FakeStripeObjects {
  private readonly objects = new Map<string, Obj>();
  private readonly prefix = randomBytes(4).toString('hex');
  private counter = 0;
  private clock = Math.floor(Date.now() / 1000);

  get(id: string): Obj {
    const obj = this.objects.get(id);
    if (!obj) throw new Error(`fake Stripe has no ${id}`);
    return obj;
  }

  all(object: string): Obj[] {
    return [...this.objects.values()].filter((o) => o.object === object);
  }

  tick(): number {
    this.clock += 1;
    return this.clock;
  }

  id(kind: string): string {
    this.counter += 1;
    return `${kind}_${this.prefix}${String(this.counter).padStart(6, '0')}`;
  }

  put(kind: string, fields: Obj): Obj {
    const obj = { id: this.id(kind), created: this.tick(), livemode: false, ...fields };
    this.objects.set(obj.id, obj);
    return obj;
  }

  /** The answer to one API call, or undefined for a 404. */
  route(method: string, path: string, params: Obj): Obj | undefined {
    const expand: string[] = Object.values(params.expand ?? {});
    const segments = path.split('/').filter(Boolean);
    const id = segments.length >= 3 ? segments[segments.length - 1] : undefined;
    const found = id ? this.objects.get(id) : undefined;
    const resource = segments.slice(1, -1).join('/');
    if (method === 'POST' && path === '/v1/customers') {
      return this.put('cus', { object: 'customer', email: params.email ?? null, metadata: params.metadata ?? {} });
    }
    if (method === 'POST' && path === '/v1/checkout/sessions') {
      const item = params.line_items?.['0'];
      const amount = Number(item?.price_data?.unit_amount);
      if (params.mode !== 'subscription' || !Number.isSafeInteger(amount) || item?.price_data?.recurring?.interval !== 'week') throw new Error('expected a weekly subscription checkout');
      const session = this.put('cs_test', {
        object: 'checkout.session',
        mode: 'subscription',
        status: 'open',
        payment_status: 'unpaid',
        customer: params.customer,
        client_reference_id: params.client_reference_id ?? null,
        metadata: params.metadata ?? {},
        subscription_data: params.subscription_data ?? {},
        subscription: null,
        amount,
        currency: item.price_data.currency,
        success_url: params.success_url ?? null,
      });
      session.url = `https://checkout.stripe.test/c/pay/${session.id}`;
      return session;
    }
    if (method === 'GET' && path === '/v1/disputes') {
      return this.list(this.all('dispute').filter((o) => (!params.charge || o.charge === params.charge)));
    }
    if (method === 'GET' && path === '/v1/invoice_payments') {
      const p = params.payment ?? {};
      return this.list(this.all('invoice_payment').filter((o) => (!p.payment_intent || o.payment.payment_intent === p.payment_intent) && (!p.charge || o.payment.charge === p.charge)));
    }
    if (!found || OBJECT_OF[resource] !== found.object) return undefined;
    if (method === 'GET' && found.object === 'invoice' && expand.includes('payments')) {
      return { ...found, payments: this.list(this.all('invoice_payment').filter((o) => o.invoice === found.id)) };
    }
    if (method === 'GET' && found.object === 'charge' && expand.includes('refunds')) {
      return { ...found, refunds: this.list(this.all('refund').filter((o) => o.charge === found.id)) };
    }
    if (method === 'GET') return found;
    if (found.object === 'subscription' && method === 'POST') {
      if ('pause_collection' in params) found.pause_collection = params.pause_collection === '' ? null : params.pause_collection;
      return found;
    }
    if (found.object === 'subscription' && method === 'DELETE') {
      found.status = 'canceled';
      return found;
    }
    return undefined;
  }

  private list(data: Obj[]): Obj {
    return { object: 'list', data, has_more: false, url: '/v1/list' };
  }
}
