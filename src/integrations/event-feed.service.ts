import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { CircleAccess } from '../circles/circle-access.service.js';
import { roleAtLeast } from '../circles/circle-role.js';
import { TransactionHost } from '../database/transaction-host.js';
import { EVENT_TYPES } from '../events/event-map.js';
import { toEventResponse, type EventPageResponse, type OutboxRow } from './dto/event.response.js';
import { EVENT_MIN_ROLE } from './event-visibility.js';

// Sort on e.sequence, never on the text alias.
export const OUTBOX_COLUMNS = 'e.id, e.type, e.circle_id, e.sequence::text AS sequence, e.occurred_at, e.data';

/** The circle's events of `types` after sequence `after`, in sequence order: what the feed and every webhook delivery read. */
export function outboxAfter(manager: EntityManager, circleId: string, after: number | string, types: readonly string[], limit: number): Promise<OutboxRow[]> {
  return manager.query(
    `SELECT ${OUTBOX_COLUMNS} FROM outbox_events e
      WHERE e.circle_id = $1 AND e.sequence > $2 AND e.type = ANY($3::text[])
      ORDER BY e.sequence LIMIT $4`,
    [circleId, after, types, limit],
  );
}

/** The polling feed: a circle's events in sequence order, each shown only to the roles that may read its data. */
@Injectable()
export class EventFeedService {
  constructor(
    private readonly tx: TransactionHost,
    private readonly access: CircleAccess,
  ) {}

  async list(userId: string, circleId: string, after: number, limit: number): Promise<EventPageResponse> {
    const ctx = await this.access.require(circleId, userId);
    const visible = EVENT_TYPES.filter((type) => roleAtLeast(ctx.role, EVENT_MIN_ROLE[type]));
    const rows = await outboxAfter(this.tx.manager, circleId, after, visible, limit + 1);
    const items = rows.slice(0, limit).map(toEventResponse);
    return { items, nextAfter: items.length ? items[items.length - 1].sequence : after, hasMore: rows.length > limit };
  }
}
