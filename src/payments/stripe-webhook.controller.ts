import { Controller, Headers, HttpCode, Post, Req } from '@nestjs/common';
import { ApiBody, ApiHeader, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { RawBodyRequest } from '../common/http/json-body.js';
import { Public } from '../auth/public.decorator.js';
import { toWebhookReceiptResponse, WebhookReceiptResponse } from './dto/webhook-receipt.response.js';
import { PaymentWebhookService } from './payment-webhook.service.js';

@ApiTags('payments')
@Controller('v1/payments/stripe')
export class StripeWebhookController {
  constructor(private readonly webhooks: PaymentWebhookService) {}

  /** Public: Stripe has no arvut token; the signature over the raw body is the authentication. */
  @Public()
  @Post('webhook')
  @HttpCode(200)
  @ApiOperation({ summary: 'Stripe webhook intake (signature-verified; called by Stripe only)' })
  @ApiBody({ description: 'A Stripe event exactly as Stripe sent it; verified over the raw bytes, then the object it names is re-read from Stripe.', schema: { type: 'object', additionalProperties: true } })
  @ApiHeader({ name: 'Stripe-Signature', required: true, description: 'Stripe\'s signature over the raw body' })
  @ApiResponse({ status: 200, type: WebhookReceiptResponse })
  @ApiResponse({ status: 400, description: 'bad-signature: the signature is missing or does not verify; nothing is stored' })
  @ApiResponse({ status: 503, description: 'payments-not-configured, or the provider could not be reached to re-read the object (Stripe retries)' })
  async receiveStripeWebhook(@Req() req: RawBodyRequest, @Headers('stripe-signature') signature: string | undefined): Promise<WebhookReceiptResponse> {
    return toWebhookReceiptResponse(await this.webhooks.receive(req.rawBody, signature));
  }
}
