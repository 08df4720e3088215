import { ApiProperty } from '@nestjs/swagger';
import type { WebhookEndpoint } from '../webhook-endpoint.entity.js';

export class WebhookEndpointResponse {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ format: 'uuid' })
  circleId: string;

  url: string;

  description: string | null;

  eventTypes: string[];

  enabled: boolean;

  /** 'failing' when the server disabled it after its retry schedule ran out; otherwise null. */
  disabledReason: string | null;

  /** The last event sequence of the circle this endpoint is done with. */
  @ApiProperty({ type: 'integer', minimum: 0 })
  deliveredThrough: number;

  /** Since when the next event has been failing; null when nothing is failing. */
  failingSince: string | null;

  /** When the failing event is tried again; null when nothing waits for a retry. */
  nextAttemptAt: string | null;

  /** Until when the secret replaced by the last rotation still signs; null when none does. */
  previousSecretValidUntil: string | null;

  createdAt: string;
}

export class CreatedWebhookEndpointResponse extends WebhookEndpointResponse {
  /** The signing secret, shown only here: keep it, it cannot be read again (rotate to get a new one). */
  secret: string;
}

export class RotatedSecretResponse {
  /** The new signing secret, shown only here. */
  secret: string;

  /** Until when the previous secret still signs, alongside the new one. */
  previousSecretValidUntil: string;
}

export class WebhookEndpointPageResponse {
  items: WebhookEndpointResponse[];
  nextCursor: string | null;
}

export function toWebhookEndpointResponse(e: WebhookEndpoint, now: Date = new Date()): WebhookEndpointResponse {
  const overlap = e.previousSecret && e.previousSecretUntil && e.previousSecretUntil > now ? e.previousSecretUntil.toISOString() : null;
  return {
    id: e.id,
    circleId: e.circleId,
    url: e.url,
    description: e.description,
    eventTypes: e.eventTypes,
    enabled: e.enabled,
    disabledReason: e.disabledReason,
    deliveredThrough: Number(e.deliveredThrough),
    failingSince: e.failingSince?.toISOString() ?? null,
    nextAttemptAt: e.nextAttemptAt?.toISOString() ?? null,
    previousSecretValidUntil: overlap,
    createdAt: e.createdAt.toISOString(),
  };
}
