import { Module } from '@nestjs/common';
import { PAYMENT_PROVIDER } from './payment-provider.js';
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
  providers: [{ provide: PAYMENT_PROVIDER, useClass: StripePaymentProvider }, PaymentsService, PaymentWebhookService],
  exports: [PaymentsService, PaymentWebhookService],
})
export class PaymentsModule {}
