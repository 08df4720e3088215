import type Stripe from 'stripe';
import type { PaymentEventKind, ProviderCheckout, ProviderDispute, ProviderRefund, ProviderSubscription, ProviderSubscriptionStatus } from './payment-provider.js';

/** The metadata key under which subscriptions and checkouts carry the arvut pledge id. */
export const PLEDGE_METADATA_KEY = 'arvut_pledge_id';

/** Stripe event types arvut acts on, and what each means to the rest of the app. */
const EVENT_KINDS: Record<string, PaymentEventKind> = {
  'checkout.session.completed': 'checkout-completed',
  'invoice.paid': 'payment-succeeded',
  'invoice.payment_failed': 'payment-failed',
  'customer.subscription.updated': 'subscription-changed',
  'customer.subscription.deleted': 'subscription-changed',
  'charge.refunded': 'payment-refunded',
  'charge.dispute.created': 'payment-disputed',
  'charge.dispute.closed': 'payment-disputed',
};

export function eventKind(type: string): PaymentEventKind {
  return EVENT_KINDS[type] ?? 'ignored';
}

/** An expandable Stripe field (id or object) as its id. */
export function idOf(value: string | { id: string } | null | undefined): string | null {
  if (value === null || value === undefined) return null;
  return typeof value === 'string' ? value : value.id;
}

/** Integer minor units from Stripe (JSON numbers that are always whole) as exact bigint. */
export function minor(value: number | null | undefined): bigint {
  if (value === null || value === undefined) return 0n;
  if (!Number.isSafeInteger(value)) throw new Error('Stripe returned a non-integer amount');
  return BigInt(value);
}

export function toCheckout(session: Stripe.Checkout.Session): ProviderCheckout {
  const status: ProviderCheckout['status'] = session.status === 'complete' ? 'complete' : session.status === 'expired' ? 'expired' : 'open';
  return {
    ref: session.id,
    url: session.url ?? null,
    status,
    pledgeId: session.client_reference_id ?? session.metadata?.[PLEDGE_METADATA_KEY] ?? null,
    subscriptionRef: idOf(session.subscription as string | { id: string } | null),
  };
}

export function toSubscription(subscription: Stripe.Subscription): ProviderSubscription {
  let status: ProviderSubscriptionStatus;
  switch (subscription.status) {
    case 'active':
    case 'trialing':
      // Collection paused (arvut's pause) keeps the subscription "active" at Stripe.
      status = subscription.pause_collection ? 'paused' : 'active';
      break;
    case 'past_due':
    case 'unpaid':
      status = 'past_due';
      break;
    case 'paused':
      status = 'paused';
      break;
    case 'canceled':
    case 'incomplete_expired':
      status = 'canceled';
      break;
    default:
      status = 'incomplete';
  }
  return { ref: subscription.id, status, pledgeId: subscription.metadata?.[PLEDGE_METADATA_KEY] ?? null };
}

export function toRefund(refund: Stripe.Refund): ProviderRefund {
  return { ref: refund.id, amount: minor(refund.amount), succeeded: refund.status === 'succeeded' };
}

/** Money leaves the balance when a dispute opens (not for inquiries) and returns if it is won. */
const DISPUTE_WITHDRAWN = new Set(['needs_response', 'under_review', 'lost', 'appeal_needs_response', 'appeal_under_review']);

export function toDispute(dispute: Stripe.Dispute): ProviderDispute {
  const fee = (dispute.balance_transactions ?? []).filter((bt) => bt.amount < 0).reduce((sum, bt) => sum + minor(bt.fee), 0n);
  return { ref: dispute.id, amount: minor(dispute.amount), fee, withdrawn: DISPUTE_WITHDRAWN.has(dispute.status) };
}
