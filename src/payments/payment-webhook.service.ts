import { Injectable, Logger } from '@nestjs/common';
import { DomainError } from '../common/errors/domain-error.js';
import { TransactionHost } from '../database/transaction-host.js';
import type { PaymentEvent, PaymentEventsHandler } from './payment-events-handler.js';
import { PaymentEventRecord } from './payment-event-record.entity.js';
import type { PaymentProvider, ProviderPayment, ProviderWebhookEvent } from './payment-provider.js';
import { PaymentProviders } from './payment-providers.js';

export type WebhookOutcome = 'processed' | 'duplicate' | 'ignored';

/**
 * Webhook intake: verify, re-read, then record the event id and apply its effect in one
 * transaction. The handler is registered by the module that owns pledges, so payments
 * never imports it.
 */
@Injectable()
export class PaymentWebhookService {
  private readonly logger = new Logger('PaymentWebhookService');
  private handler: PaymentEventsHandler | null = null;

  constructor(
    private readonly providers: PaymentProviders,
    private readonly tx: TransactionHost,
  ) {}

  register(handler: PaymentEventsHandler): void {
    if (this.handler && this.handler !== handler) throw new Error('A payment events handler is already registered');
    this.handler = handler;
  }

  /** An event delivered by the provider named `providerName`, to its own webhook route. */
  async receive(providerName: string, rawBody: Buffer | undefined, signature: string | undefined): Promise<WebhookOutcome> {
    const provider = this.providers.get(providerName);
    const event = provider.verifyWebhook(rawBody ?? Buffer.alloc(0), signature);
    if (event.kind === 'ignored' || !event.objectRef) return 'ignored';
    const handler = this.handler;
    if (!handler) throw new DomainError('unavailable', 'Payment events cannot be processed right now; the provider will retry.');
    if (await this.tx.manager.existsBy(PaymentEventRecord, { provider: provider.name, eventId: event.id })) return 'duplicate';
    // Re-read outside the transaction: events come in any order and more than once, so the
    // effect follows the provider's current state, and no row is locked during network calls.
    const loaded = await this.load(provider, event);
    return this.tx.run(async (manager) => {
      // Invariant 5: a concurrent delivery of the same event waits here on the key, then does nothing.
      const inserted: unknown[] = await manager
        .createQueryBuilder()
        .insert()
        .into(PaymentEventRecord)
        .values({ provider: provider.name, eventId: event.id, eventType: event.type })
        .orIgnore()
        .returning(['event_id'])
        .execute()
        .then((r) => r.raw as unknown[]);
      if (inserted.length === 0) return 'duplicate';
      if (loaded) await handler.handlePaymentEvent(loaded);
      else this.logger.log({ eventType: event.type }, 'payment event names nothing arvut knows; recorded and skipped');
      return 'processed';
    });
  }

  private async load(provider: PaymentProvider, event: ProviderWebhookEvent): Promise<PaymentEvent | null> {
    const ref = event.objectRef!;
    switch (event.kind) {
      case 'checkout-completed': {
        const checkout = await provider.retrieveCheckout(ref);
        const subscription = checkout.subscriptionRef ? await provider.retrieveSubscription(checkout.subscriptionRef) : null;
        return { kind: event.kind, eventId: event.id, checkout, subscription };
      }
      case 'subscription-changed':
        return { kind: event.kind, eventId: event.id, subscription: await provider.retrieveSubscription(ref) };
      case 'payment-succeeded':
      case 'payment-failed':
        return this.withSubscription(provider, event, await provider.retrievePayment(ref));
      case 'payment-refunded':
        return this.withSubscription(provider, event, await provider.retrievePaymentOfCharge(ref));
      case 'payment-disputed': {
        const chargeRef = await provider.retrieveDisputedChargeRef(ref);
        return this.withSubscription(provider, event, chargeRef ? await provider.retrievePaymentOfCharge(chargeRef) : null);
      }
      default:
        return null;
    }
  }

  private async withSubscription(provider: PaymentProvider, event: ProviderWebhookEvent, payment: ProviderPayment | null): Promise<PaymentEvent | null> {
    if (!payment) return null;
    const subscription = payment.subscriptionRef ? await provider.retrieveSubscription(payment.subscriptionRef) : null;
    return { kind: event.kind as 'payment-succeeded', eventId: event.id, payment, subscription };
  }
}
