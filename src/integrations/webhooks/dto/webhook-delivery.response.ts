import { ApiProperty } from '@nestjs/swagger';
import type { WebhookDelivery } from '../webhook-delivery.entity.js';

export class WebhookDeliveryResponse {
  @ApiProperty({ format: 'uuid' })
  id: string;

  /** The event's id: the webhook-id header of the delivery. */
  @ApiProperty({ format: 'uuid' })
  eventId: string;

  eventType: string;

  /** The event's sequence in its circle; null for a ping. */
  @ApiProperty({ type: 'integer', nullable: true })
  sequence: number | null;

  @ApiProperty({ enum: ['event', 'redelivery', 'ping'] })
  kind: string;

  /** 1 for the first try of an event, 2 for the first retry, … */
  @ApiProperty({ type: 'integer', minimum: 1 })
  attempt: number;

  @ApiProperty({ enum: ['delivered', 'failed'] })
  status: string;

  /** The receiver's HTTP status; null when it gave none. */
  @ApiProperty({ type: 'integer', nullable: true })
  responseStatus: number | null;

  /** The start of the receiver's response body (at most 1,024 characters). */
  responseBody: string | null;

  /** Why it failed when the receiver gave no usable answer (timeout, refused address, …). */
  error: string | null;

  @ApiProperty({ type: 'integer', minimum: 0 })
  durationMs: number;

  attemptedAt: string;
}

export class WebhookDeliveryPageResponse {
  items: WebhookDeliveryResponse[];
  nextCursor: string | null;
}

export function toWebhookDeliveryResponse(d: WebhookDelivery): WebhookDeliveryResponse {
  return {
    id: d.id,
    eventId: d.eventId,
    eventType: d.eventType,
    sequence: d.sequence === null ? null : Number(d.sequence),
    kind: d.kind,
    attempt: d.attempt,
    status: d.status,
    responseStatus: d.responseStatus,
    responseBody: d.responseBody,
    error: d.error,
    durationMs: d.durationMs,
    attemptedAt: d.attemptedAt.toISOString(),
  };
}
