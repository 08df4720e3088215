import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { prepared } from '../database/prepared-statements.js';
import { TransactionHost } from '../database/transaction-host.js';
import type { EventMap, EventType } from './event-map.js';

/** An event as the outbox holds it. `sequence` counts the circle's events from 1. */
export interface DomainEvent<K extends EventType = EventType> {
  id: string;
  circleId: string;
  sequence: number;
  type: K;
  occurredAt: Date;
  data: EventMap[K];
}

export type EventHandler<K extends EventType> = (event: DomainEvent<K>) => Promise<void>;

// Takes the next number of the circle (locking its head row until commit) and appends the event:
// outbox_append (migrations/1790000001800-PostingInOneWrite.ts), which the ledger's
// receipt.published also goes through. Runs once per event, often on the money path: prepared
// once per connection (src/database/prepared-statements.ts).
const APPEND = prepared('arvut_outbox_append', 'SELECT outbox_append($1, $2, $3, $4::jsonb, $5)::text AS sequence');

/** Appended by SQL, not by emit (the ledger's posting statement, docs/webhooks.md): no handler runs for these. */
const APPENDED_BY_THE_DATABASE: ReadonlySet<EventType> = new Set<EventType>(['receipt.published']);

/**
 * The one way a module tells others that something changed (event-map.ts). `emit` appends
 * the event to the outbox in the caller's transaction — it refuses to run outside one, so an
 * event never exists without its change or the other way round — and then runs the
 * handlers modules registered with `on`, in that same transaction: a handler that throws
 * rolls the change back. Webhooks and the polling feed read the outbox afterwards.
 */
@Injectable()
export class EventsService {
  private readonly handlers = new Map<EventType, EventHandler<never>[]>();

  constructor(private readonly tx: TransactionHost) {}

  /** Runs `handler` inside the transaction of every event of the given types, in registration order. */
  on<K extends EventType>(types: K | readonly K[], handler: EventHandler<K>): void {
    for (const type of typeof types === 'string' ? [types] : types) {
      if (APPENDED_BY_THE_DATABASE.has(type)) throw new Error(`${type} is appended by the database (ledger_publish_receipts): a handler of it would never run`);
      const list = this.handlers.get(type) ?? [];
      list.push(handler as EventHandler<never>);
      this.handlers.set(type, list);
    }
  }

  /**
   * Appends the event in the current transaction. With no handler registered for its type,
   * the statement is sent without waiting for its answer (TransactionHost.sendWithoutWaiting):
   * it travels with the transaction's next statement, and the transaction commits only if
   * the append succeeded. With handlers, the append is awaited and they run after it.
   */
  async emit<K extends EventType>(type: K, circleId: string, data: EventMap[K], at: Date = new Date()): Promise<void> {
    if (!this.tx.inTransaction) throw new Error(`${type} must be emitted inside the transaction of the change it reports`);
    const id = randomUUID();
    const params = [circleId, id, type, JSON.stringify(data), at.toISOString()];
    const handlers = this.handlers.get(type) ?? [];
    if (handlers.length === 0) return this.tx.sendWithoutWaiting(APPEND, params);
    const rows: { sequence: string }[] = await this.tx.manager.query(APPEND, params);
    const event: DomainEvent<K> = { id, circleId, sequence: Number(rows[0].sequence), type, occurredAt: at, data };
    for (const handler of handlers) await (handler as EventHandler<K>)(event);
  }
}
