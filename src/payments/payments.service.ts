import { Injectable } from '@nestjs/common';
import { DomainError } from '../common/errors/domain-error.js';
import { TransactionHost } from '../database/transaction-host.js';
import { PaymentCustomer } from './payment-customer.entity.js';
import type { PaymentProvider, ProviderCheckout } from './payment-provider.js';
import { PaymentProviders } from './payment-providers.js';

export interface StartWeeklyCheckoutInput {
  circleId: string;
  userId: string;
  email: string;
  pledgeId: string;
  amount: bigint;
  currency: string;
  successUrl?: string;
  cancelUrl?: string;
}

/**
 * What modules above payments call to take card money: they pass arvut ids and get back
 * opaque provider references, never provider objects.
 */
@Injectable()
export class PaymentsService {
  constructor(
    private readonly providers: PaymentProviders,
    private readonly tx: TransactionHost,
  ) {}

  private get provider(): PaymentProvider {
    return this.providers.forCards();
  }

  get configured(): boolean {
    return this.provider.configured;
  }

  /** 503 `payments-not-configured` when the server has no Stripe keys; everything else keeps working. */
  requireConfigured(): void {
    if (!this.provider.configured) throw new DomainError('payments-not-configured', 'Card pledges need STRIPE_SECRET_KEY and STRIPE_WEBHOOK_SECRET on the server; pledge by hand instead.');
  }

  /**
   * A Checkout Session for a weekly subscription of `amount`, for the donor's customer in
   * this circle (created once, reused after). Call outside a transaction: it goes to the network.
   */
  async startWeeklyCheckout(input: StartWeeklyCheckoutInput): Promise<ProviderCheckout> {
    this.requireConfigured();
    const customerRef = await this.customerFor(input.circleId, input.userId, input.email);
    return this.provider.createWeeklySubscriptionCheckout({
      pledgeId: input.pledgeId,
      circleId: input.circleId,
      customerRef,
      amount: input.amount,
      currency: input.currency,
      successUrl: input.successUrl,
      cancelUrl: input.cancelUrl,
    });
  }

  /** `reference` names the arvut change (pledge id and version), so a retry is the same provider request. */
  async cancelSubscription(subscriptionRef: string, reference: string): Promise<void> {
    this.requireConfigured();
    await this.provider.cancelSubscription(subscriptionRef, reference);
  }

  async pauseSubscription(subscriptionRef: string, reference: string): Promise<void> {
    this.requireConfigured();
    await this.provider.pauseSubscription(subscriptionRef, reference);
  }

  async resumeSubscription(subscriptionRef: string, reference: string): Promise<void> {
    this.requireConfigured();
    await this.provider.resumeSubscription(subscriptionRef, reference);
  }

  private async customerFor(circleId: string, userId: string, email: string): Promise<string> {
    const existing = await this.tx.manager.findOneBy(PaymentCustomer, { circleId, userId, provider: this.provider.name });
    if (existing) return existing.customerRef;
    // The idempotency key is the (circle, donor) pair: two racing first pledges get one customer.
    const { customerRef } = await this.provider.createCustomer({ reference: `${circleId}-${userId}`, email });
    await this.tx.manager
      .createQueryBuilder()
      .insert()
      .into(PaymentCustomer)
      .values({ circleId, userId, provider: this.provider.name, customerRef })
      .orIgnore()
      .execute();
    const saved = await this.tx.manager.findOneByOrFail(PaymentCustomer, { circleId, userId, provider: this.provider.name });
    return saved.customerRef;
  }
}
