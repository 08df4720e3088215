import type { ProviderCheckout, ProviderPayment, ProviderSubscription } from './payment-provider.js';

/**
 * A webhook event after its objects were re-read from the provider: events arrive in any
 * order and more than once, so handlers act on the provider's current state, never on the
 * event's snapshot.
 */
export type PaymentEvent =
  | { kind: 'checkout-completed'; eventId: string; checkout: ProviderCheckout; subscription: ProviderSubscription | null }
  | { kind: 'subscription-changed'; eventId: string; subscription: ProviderSubscription }
  | {
      kind: 'payment-succeeded' | 'payment-failed' | 'payment-refunded' | 'payment-disputed';
      eventId: string;
      payment: ProviderPayment;
      subscription: ProviderSubscription | null;
    };

/**
 * What the module that owns pledges implements and registers, so webhook events reach it
 * without payments importing it (DESIGN: dependencies point one way).
 */
export interface PaymentEventsHandler {
  /**
   * Runs inside the transaction that records the event id (invariant 5: each provider
   * event processed at most once); throwing rolls both back and the provider retries.
   */
  handlePaymentEvent(event: PaymentEvent): Promise<void>;
}
