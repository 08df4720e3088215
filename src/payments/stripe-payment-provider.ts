import { Inject, Injectable, Logger } from '@nestjs/common';
import Stripe from 'stripe';
import { DomainError } from '../common/errors/domain-error.js';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import type {
  CreateCustomerInput,
  PaymentProvider,
  ProviderCheckout,
  ProviderPayment,
  ProviderSubscription,
  ProviderWebhookEvent,
  WeeklyCheckoutInput,
} from './payment-provider.js';
import { STRIPE } from './stripe-provider-name.js';
import { eventKind, idOf, minor, PLEDGE_METADATA_KEY, toCheckout, toDispute, toRefund, toSubscription } from './stripe-mapping.js';

/** Bounded work per outgoing call: a slow provider must not hold a request (or a webhook) for long. */
const TIMEOUT_MS = 10_000;
const MAX_NETWORK_RETRIES = 2;

/**
 * The Stripe adapter of the payments port. Every create call carries an idempotency key
 * derived from arvut ids, so a retry (ours or the SDK's) never makes a second object.
 */
@Injectable()
export class StripePaymentProvider implements PaymentProvider {
  readonly name = STRIPE;
  readonly configured: boolean;
  private readonly logger = new Logger('StripePaymentProvider');
  private readonly stripe: Stripe | null;
  private readonly webhookSecret: string | undefined;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    const { secretKey, webhookSecret, apiHost, apiPort, apiProtocol } = config.stripe;
    this.configured = Boolean(secretKey && webhookSecret);
    this.webhookSecret = webhookSecret;
    this.stripe = this.configured
      ? new Stripe(secretKey!, {
          host: apiHost,
          port: apiPort,
          protocol: apiProtocol,
          timeout: TIMEOUT_MS,
          maxNetworkRetries: MAX_NETWORK_RETRIES,
          telemetry: false,
          appInfo: { name: 'arvut' },
        })
      : null;
  }

  async createCustomer(input: CreateCustomerInput): Promise<{ customerRef: string }> {
    // Invariant 9: the email is the only personal data Stripe receives; no name, no metadata.
    const customer = await this.call((s) => s.customers.create({ email: input.email }, { idempotencyKey: `arvut-customer-${input.reference}` }));
    return { customerRef: customer.id };
  }

  async createWeeklySubscriptionCheckout(input: WeeklyCheckoutInput): Promise<ProviderCheckout> {
    const metadata = { [PLEDGE_METADATA_KEY]: input.pledgeId, arvut_circle_id: input.circleId };
    const session = await this.call((s) =>
      s.checkout.sessions.create(
        {
          mode: 'subscription',
          customer: input.customerRef,
          client_reference_id: input.pledgeId,
          line_items: [
            {
              quantity: 1,
              price_data: {
                currency: input.currency.toLowerCase(),
                unit_amount: Number(input.amount),
                recurring: { interval: 'week', interval_count: 1 },
                product_data: { name: 'Weekly pledge' },
              },
            },
          ],
          metadata,
          subscription_data: { metadata },
          ...(input.successUrl ? { success_url: input.successUrl } : {}),
          ...(input.cancelUrl ? { cancel_url: input.cancelUrl } : {}),
        },
        { idempotencyKey: `arvut-checkout-${input.pledgeId}` },
      ),
    );
    return toCheckout(session);
  }

  async retrieveCheckout(ref: string): Promise<ProviderCheckout> {
    return toCheckout(await this.call((s) => s.checkout.sessions.retrieve(ref)));
  }

  async retrieveSubscription(ref: string): Promise<ProviderSubscription> {
    return toSubscription(await this.call((s) => s.subscriptions.retrieve(ref)));
  }

  async retrievePayment(invoiceRef: string): Promise<ProviderPayment> {
    const invoice = await this.call((s) => s.invoices.retrieve(invoiceRef, { expand: ['payments'] }));
    const subscriptionRef = idOf(invoice.parent?.subscription_details?.subscription as string | { id: string } | undefined);
    let pledgeId = invoice.parent?.subscription_details?.metadata?.[PLEDGE_METADATA_KEY] ?? null;
    if (!pledgeId && subscriptionRef) pledgeId = (await this.retrieveSubscription(subscriptionRef)).pledgeId;
    const chargeRef = await this.chargeOfInvoice(invoice);
    const paid = invoice.status === 'paid' && chargeRef !== null;
    const base: ProviderPayment = {
      ref: invoice.id,
      chargeRef,
      subscriptionRef,
      pledgeId,
      paid,
      currency: invoice.currency.toUpperCase(),
      gross: minor(invoice.amount_paid),
      fee: 0n,
      net: minor(invoice.amount_paid),
      settlementCurrency: null,
      paidAt: invoice.status_transitions?.paid_at ? new Date(invoice.status_transitions.paid_at * 1000) : null,
      refunds: [],
      disputes: [],
    };
    if (!paid || !chargeRef) return base;
    const charge = await this.call((s) => s.charges.retrieve(chargeRef, { expand: ['refunds'] }));
    const btRef = idOf(charge.balance_transaction as string | { id: string } | null);
    const bt = btRef ? await this.call((s) => s.balanceTransactions.retrieve(btRef)) : null;
    const disputes = await this.call((s) => s.disputes.list({ charge: chargeRef, limit: 100 }));
    const gross = minor(charge.amount);
    const fee = bt ? minor(bt.fee) : 0n;
    return {
      ...base,
      currency: charge.currency.toUpperCase(),
      settlementCurrency: bt ? bt.currency.toUpperCase() : null,
      gross,
      fee,
      net: gross - fee,
      refunds: (charge.refunds?.data ?? []).map(toRefund),
      disputes: disputes.data.map(toDispute),
    };
  }

  async retrievePaymentOfCharge(chargeRef: string): Promise<ProviderPayment | null> {
    const charge = await this.call((s) => s.charges.retrieve(chargeRef));
    const intentRef = idOf(charge.payment_intent as string | { id: string } | null);
    const filter = intentRef ? { type: 'payment_intent' as const, payment_intent: intentRef } : { type: 'charge' as const, charge: chargeRef };
    const links = await this.call((s) => s.invoicePayments.list({ payment: filter, limit: 1 } as Stripe.InvoicePaymentListParams));
    const invoiceRef = idOf(links.data[0]?.invoice as string | { id: string } | undefined);
    return invoiceRef ? this.retrievePayment(invoiceRef) : null;
  }

  async retrieveDisputedChargeRef(disputeRef: string): Promise<string | null> {
    const dispute = await this.call((s) => s.disputes.retrieve(disputeRef));
    return idOf(dispute.charge as string | { id: string });
  }

  async cancelSubscription(ref: string, reference: string): Promise<void> {
    const current = await this.call((s) => s.subscriptions.retrieve(ref));
    if (current.status === 'canceled' || current.status === 'incomplete_expired') return;
    await this.call((s) => s.subscriptions.cancel(ref, {}, { idempotencyKey: `arvut-cancel-${reference}` }));
  }

  async pauseSubscription(ref: string, reference: string): Promise<void> {
    // Invoices of paused weeks are voided: a paused donor owes nothing for them.
    await this.call((s) => s.subscriptions.update(ref, { pause_collection: { behavior: 'void' } }, { idempotencyKey: `arvut-pause-${reference}` }));
  }

  async resumeSubscription(ref: string, reference: string): Promise<void> {
    await this.call((s) => s.subscriptions.update(ref, { pause_collection: '' }, { idempotencyKey: `arvut-resume-${reference}` }));
  }

  verifyWebhook(rawBody: Buffer, signature: string | undefined): ProviderWebhookEvent {
    if (!this.stripe || !this.webhookSecret) throw new DomainError('payments-not-configured', 'Card payments are not configured on this server.');
    if (!signature || !Buffer.isBuffer(rawBody) || rawBody.length === 0) throw new DomainError('bad-signature', 'The Stripe-Signature header is missing or the body is empty.');
    let event: Stripe.Event;
    try {
      event = this.stripe.webhooks.constructEvent(rawBody, signature, this.webhookSecret);
    } catch {
      throw new DomainError('bad-signature', 'The webhook signature does not verify.');
    }
    const object = (event.data as { object?: { id?: unknown } } | undefined)?.object;
    return { id: event.id, type: event.type, kind: eventKind(event.type), objectRef: typeof object?.id === 'string' ? object.id : null };
  }

  private async chargeOfInvoice(invoice: Stripe.Invoice): Promise<string | null> {
    const payments = invoice.payments?.data ?? [];
    const settled = payments.find((p) => p.status === 'paid') ?? payments.find((p) => p.is_default) ?? null;
    if (!settled) return null;
    const direct = idOf(settled.payment.charge as string | { id: string } | undefined);
    if (direct) return direct;
    const intentRef = idOf(settled.payment.payment_intent as string | { id: string } | undefined);
    if (!intentRef) return null;
    const intent = await this.call((s) => s.paymentIntents.retrieve(intentRef));
    return idOf(intent.latest_charge as string | { id: string } | null);
  }

  /** Runs one SDK call; any failure is a 503 whose detail names no object and no person. */
  private async call<T>(work: (stripe: Stripe) => Promise<T>): Promise<T> {
    if (!this.stripe) throw new DomainError('payments-not-configured', 'Card payments are not configured on this server.');
    try {
      return await work(this.stripe);
    } catch (error) {
      const e = error as { type?: string; code?: string; statusCode?: number };
      // Stripe's messages can quote what was sent (an email): log only the type and code.
      this.logger.warn({ stripeErrorType: e?.type, stripeErrorCode: e?.code, status: e?.statusCode }, 'Stripe call failed');
      throw new DomainError('unavailable', 'The payment provider could not be reached or refused the request; try again later.');
    }
  }
}
