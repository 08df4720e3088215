import { ApiProperty } from '@nestjs/swagger';
import { EVENT_TYPES } from '../../events/event-map.js';

/**
 * One domain event, as the feed lists it and as a webhook delivers it (the delivery body is
 * exactly this object). The payload of each type is in docs/webhooks.md.
 */
export class EventResponse {
  /** Unique per event; the `webhook-id` of its deliveries, so a receiver can drop repeats. */
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ enum: EVENT_TYPES })
  type: string;

  /** When the change happened (ISO 8601, UTC). */
  timestamp: string;

  @ApiProperty({ format: 'uuid' })
  circleId: string;

  /** The event's number in its circle: 1, 2, 3, … in the order the changes committed. */
  @ApiProperty({ type: 'integer', minimum: 1 })
  sequence: number;

  /** Ids, states, amounts in minor units and dates; never personal data. */
  @ApiProperty({ type: 'object', additionalProperties: true })
  data: Record<string, unknown>;
}

export class EventPageResponse {
  items: EventResponse[];

  /** Pass as `after` to continue: the sequence of the last item, or the `after` given when the page is empty. */
  @ApiProperty({ type: 'integer', minimum: 0 })
  nextAfter: number;

  /** True when more events follow right away; false when the feed is caught up (poll again later). */
  hasMore: boolean;
}

export interface OutboxRow {
  id: string;
  type: string;
  circle_id: string;
  sequence: string;
  occurred_at: Date;
  data: Record<string, unknown>;
}

export function toEventResponse(row: OutboxRow): EventResponse {
  return { id: row.id, type: row.type, timestamp: row.occurred_at.toISOString(), circleId: row.circle_id, sequence: Number(row.sequence), data: row.data };
}
