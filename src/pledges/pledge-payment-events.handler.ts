import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { CircleFactsService } from '../circles/circle-facts.service.js';
import { TransactionHost } from '../database/transaction-host.js';
import type { PaymentEvent, PaymentEventsHandler } from '../payments/payment-events-handler.js';
import type { ProviderSubscription, ProviderSubscriptionStatus } from '../payments/payment-provider.js';
import { PaymentWebhookService } from '../payments/payment-webhook.service.js';
import { PaymentsService } from '../payments/payments.service.js';
import { CardContributions } from './card-contributions.service.js';
import { PROVIDER_ACTOR } from '../common/actor.js';
import { isFinalPledgeStatus, type PledgeStatus } from './pledge-status.js';
import { PledgeTransitions } from './pledge-transitions.service.js';
import { Pledge } from './pledge.entity.js';

/** The pledge status a subscription's state at the provider means. */
const FOLLOWS: Partial<Record<ProviderSubscriptionStatus, PledgeStatus>> = {
  active: 'active',
  past_due: 'past_due',
  paused: 'paused',
  canceled: 'cancelled',
};

/**
 * Card pledges follow their Stripe subscription. The handler acts on objects re-read from
 * the provider, and on their current state only, so events in any order, or repeated,
 * leave pledges and books exactly as one in-order delivery would.
 */
@Injectable()
export class PledgePaymentEvents implements PaymentEventsHandler, OnModuleInit {
  private readonly logger = new Logger('PledgePaymentEvents');

  constructor(
    private readonly webhooks: PaymentWebhookService,
    private readonly payments: PaymentsService,
    private readonly tx: TransactionHost,
    private readonly transitions: PledgeTransitions,
    private readonly card: CardContributions,
    private readonly circles: CircleFactsService,
  ) {}

  onModuleInit(): void {
    this.webhooks.register(this);
  }

  async handlePaymentEvent(event: PaymentEvent): Promise<void> {
    switch (event.kind) {
      case 'checkout-completed': {
        if (event.checkout.status !== 'complete') return;
        const pledge = await this.pledgeFor(event.checkout.pledgeId, event.checkout.subscriptionRef);
        if (pledge) await this.follow(pledge, event.subscription);
        return;
      }
      case 'subscription-changed': {
        const pledge = await this.pledgeFor(event.subscription.pledgeId, event.subscription.ref);
        if (pledge) await this.follow(pledge, event.subscription);
        return;
      }
      default: {
        const pledge = await this.pledgeFor(event.payment.pledgeId, event.payment.subscriptionRef);
        if (!pledge) return;
        await this.card.reconcile(pledge, event.payment, await this.circles.timezoneOf(pledge.circleId));
        await this.follow(pledge, event.subscription);
      }
    }
  }

  /**
   * The card pledge a provider object belongs to. Its pledge id travels in our own metadata;
   * the subscription, once recorded, must match, so another subscription cannot claim it.
   */
  private async pledgeFor(pledgeId: string | null, subscriptionRef: string | null): Promise<Pledge | null> {
    if (!pledgeId || !/^[0-9a-f-]{36}$/i.test(pledgeId)) return null;
    const pledge = await this.tx.manager.createQueryBuilder(Pledge, 'p').setLock('pessimistic_write').where('p.id = :pledgeId', { pledgeId }).getOne();
    if (!pledge || pledge.method !== 'card') return null;
    if (subscriptionRef && pledge.providerSubscriptionRef && pledge.providerSubscriptionRef !== subscriptionRef) {
      this.logger.warn({ pledgeId: pledge.id }, 'payment event for a subscription that is not the pledge\'s: ignored');
      return null;
    }
    if (subscriptionRef && !pledge.providerSubscriptionRef) {
      await this.tx.manager.update(Pledge, { id: pledge.id }, { providerSubscriptionRef: subscriptionRef });
      pledge.providerSubscriptionRef = subscriptionRef;
    }
    return pledge;
  }

  /** Moves the pledge toward what its subscription says now. */
  private async follow(pledge: Pledge, subscription: ProviderSubscription | null): Promise<void> {
    if (!subscription) return;
    if (isFinalPledgeStatus(pledge.status)) {
      // Cancelled here before its checkout finished: the donor must not be charged.
      if (subscription.status !== 'canceled') await this.payments.cancelSubscription(subscription.ref, `${pledge.id}-final`);
      return;
    }
    const target = FOLLOWS[subscription.status];
    if (target && target !== pledge.status) await this.transitions.moveToward(pledge, target, PROVIDER_ACTOR);
  }
}
