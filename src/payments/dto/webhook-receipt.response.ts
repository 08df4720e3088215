import { ApiProperty } from '@nestjs/swagger';
import type { WebhookOutcome } from '../payment-webhook.service.js';

export class WebhookReceiptResponse {
  @ApiProperty({ enum: [true] })
  received: true;

  @ApiProperty({ enum: ['processed', 'duplicate', 'ignored'], description: '`duplicate`: this event was already processed; `ignored`: a type arvut does not act on.' })
  outcome: WebhookOutcome;
}

export function toWebhookReceiptResponse(outcome: WebhookOutcome): WebhookReceiptResponse {
  return { received: true, outcome };
}
