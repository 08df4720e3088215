import { Module } from '@nestjs/common';
import { PAYMENT_PROVIDER_LIST } from './payment-provider.js';
import { PaymentProviders } from './payment-providers.js';
import { PaymentWebhookService } from './payment-webhook.service.js';
import { PaymentsService } from './payments.service.js';
import { StripePaymentProvider } from './stripe-payment-provider.js';
import { StripeWebhookController } from './stripe-webhook.controller.js';

/**
 * The payment-provider port, its Stripe adapter and webhook intake. Stripe never leaks past
 * this module: others get PaymentsService, the port's neutral types, and register a
 * PaymentEventsHandler with PaymentWebhookService.
 */
@Module({
  controllers: [StripeWebhookController],
  providers: [
    // One entry per adapter: a second provider adds its class here and to the factory's list.
    StripePaymentProvider,
    { provide: PAYMENT_PROVIDER_LIST, useFactory: (stripe: StripePaymentProvider) => [stripe], inject: [StripePaymentProvider] },
    PaymentProviders,
    PaymentsService,
    PaymentWebhookService,
  ],
  exports: [PaymentsService, PaymentWebhookService],
})
export class PaymentsModule {}
