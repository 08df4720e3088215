/**
 * The payments port (STYLE habit 9). Everything above the payments module sees these
 * provider-neutral shapes only: ids of provider objects travel as opaque `…Ref` strings
 * and amounts as bigint minor units, so no Stripe type leaks past this module.
 */
/** The adapters of this server, as one list (PaymentsModule); PaymentProviders keys them by name. */
export const PAYMENT_PROVIDER_LIST = Symbol('PAYMENT_PROVIDER_LIST');

export interface CreateCustomerInput {
  /** An arvut id the idempotency key is derived from, so a retried create makes one customer. */
  reference: string;
  /** The only personal data the provider ever receives (invariant 9). */
  email: string;
}

export interface WeeklyCheckoutInput {
  /** The pledge id: idempotency key, checkout client reference and subscription metadata. */
  pledgeId: string;
  circleId: string;
  customerRef: string;
  amount: bigint;
  /** ISO 4217, upper case. */
  currency: string;
  successUrl?: string;
  cancelUrl?: string;
}

export interface ProviderCheckout {
  ref: string;
  /** Where the donor enters card details: arvut never sees them. */
  url: string | null;
  status: 'open' | 'complete' | 'expired';
  /** The pledge id the checkout was created for. */
  pledgeId: string | null;
  subscriptionRef: string | null;
}

export type ProviderSubscriptionStatus = 'incomplete' | 'active' | 'past_due' | 'paused' | 'canceled';

export interface ProviderSubscription {
  ref: string;
  /** Already folded: an active subscription whose collection is paused reads `paused`. */
  status: ProviderSubscriptionStatus;
  pledgeId: string | null;
}

export interface ProviderRefund {
  ref: string;
  amount: bigint;
  /** Only `succeeded` refunds moved money. */
  succeeded: boolean;
}

export interface ProviderDispute {
  ref: string;
  amount: bigint;
  /** The provider's dispute fee, taken on top of the disputed amount. */
  fee: bigint;
  /** True while the disputed money is out of the balance (open or lost); false for inquiries and won disputes. */
  withdrawn: boolean;
}

/**
 * One paid (or failed) weekly payment, as re-read from the provider: the invoice, its
 * charge, the charge's balance transaction (fee and net), refunds and disputes.
 */
export interface ProviderPayment {
  /** The invoice id: at most one contribution per payment ref (invariant 5). */
  ref: string;
  chargeRef: string | null;
  subscriptionRef: string | null;
  pledgeId: string | null;
  paid: boolean;
  /** ISO 4217 of the charge, upper case. */
  currency: string;
  /** Currency of the balance transaction the fee is in; null when not known yet. */
  settlementCurrency: string | null;
  gross: bigint;
  fee: bigint;
  net: bigint;
  paidAt: Date | null;
  refunds: ProviderRefund[];
  disputes: ProviderDispute[];
}

export interface PaymentProvider {
  /** The key this provider's customers and events are stored under (`payment_customers.provider`). */
  readonly name: string;
  /** False without STRIPE_SECRET_KEY/STRIPE_WEBHOOK_SECRET: callers answer `payments-not-configured`. */
  readonly configured: boolean;
  createCustomer(input: CreateCustomerInput): Promise<{ customerRef: string }>;
  createWeeklySubscriptionCheckout(input: WeeklyCheckoutInput): Promise<ProviderCheckout>;
  retrieveCheckout(ref: string): Promise<ProviderCheckout>;
  retrieveSubscription(ref: string): Promise<ProviderSubscription>;
  /** The payment of an invoice, with fee/net from its balance transaction. */
  retrievePayment(invoiceRef: string): Promise<ProviderPayment>;
  /** The payment a charge belongs to (refund and dispute events name the charge). */
  retrievePaymentOfCharge(chargeRef: string): Promise<ProviderPayment | null>;
  /** The charge a dispute is about. */
  retrieveDisputedChargeRef(disputeRef: string): Promise<string | null>;
  cancelSubscription(ref: string, reference: string): Promise<void>;
  pauseSubscription(ref: string, reference: string): Promise<void>;
  resumeSubscription(ref: string, reference: string): Promise<void>;
  /** Checks the signature over the raw body; throws DomainError('bad-signature') when it does not verify. */
  verifyWebhook(rawBody: Buffer, signature: string | undefined): ProviderWebhookEvent;
}

export type PaymentEventKind =
  | 'checkout-completed'
  | 'payment-succeeded'
  | 'payment-failed'
  | 'subscription-changed'
  | 'payment-refunded'
  | 'payment-disputed'
  | 'ignored';

/** A verified webhook event, before the object it names is re-read. */
export interface ProviderWebhookEvent {
  id: string;
  kind: PaymentEventKind;
  /** The provider's type string, kept for the processed-events record. */
  type: string;
  objectRef: string | null;
}
