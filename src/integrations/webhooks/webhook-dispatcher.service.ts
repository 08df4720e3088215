import { Inject, Injectable, Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { APP_CONFIG, type AppConfig } from '../../config/app-config.js';
import { TransactionHost } from '../../database/transaction-host.js';
import { EventsService } from '../../events/events.service.js';
import { toEventResponse, type EventResponse } from '../dto/event.response.js';
import { outboxAfter } from '../event-feed.service.js';
import { WebhookDelivery } from './webhook-delivery.entity.js';
import { WebhookEndpoint } from './webhook-endpoint.entity.js';
import { WebhookSecrets } from './webhook-secrets.js';
import { sendWebhook, type SendResult } from './webhook-sender.js';

/**
 * Seconds to wait after each failed attempt at an event: exponential, about three days
 * in all (75 h 43 min). A failure after the last one disables the endpoint.
 */
export const RETRY_SCHEDULE_SECONDS = [5, 30, 120, 600, 1800, 3600, 7200, 14_400, 28_800, 43_200, 43_200, 43_200, 43_200, 43_200] as const;

/** Events sent in one run before the run yields to other endpoints. */
const RUN_LIMIT = 100;

/**
 * Delivers the outbox to webhook endpoints: at least once, in sequence order per endpoint.
 * An endpoint's next event is sent until it answers 2xx; only then does the endpoint move
 * on, so a receiver that is down gets everything, in order, once it is back. Runs of one
 * endpoint never overlap, across instances: a run first claims the endpoint's lease.
 *
 * `now` decides back-off only (what is due, when to try next), so tests can let days pass.
 */
@Injectable()
export class WebhookDispatcher {
  private readonly logger = new Logger('WebhookDispatcher');

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly tx: TransactionHost,
    private readonly secrets: WebhookSecrets,
    private readonly events: EventsService,
  ) {}

  /** Enabled endpoints with an event waiting and no back-off pending. */
  async dueEndpoints(now: Date = new Date()): Promise<string[]> {
    const rows: { id: string }[] = await this.tx.manager.query(
      `SELECT w.id FROM webhook_endpoints w
        WHERE w.enabled AND (w.next_attempt_at IS NULL OR w.next_attempt_at <= $1)
          AND EXISTS (SELECT 1 FROM outbox_events e
                       WHERE e.circle_id = w.circle_id AND e.sequence > w.delivered_through AND e.type = ANY(w.event_types))
        ORDER BY w.next_attempt_at NULLS FIRST, w.id`,
      [now],
    );
    return rows.map((r) => r.id);
  }

  /** Sends the endpoint's waiting events in order until one fails or none is left; returns how many it delivered. */
  async deliverDue(endpointId: string, now: Date = new Date()): Promise<number> {
    if (!(await this.lease(endpointId, true))) return 0;
    let delivered = 0;
    try {
      while (delivered < RUN_LIMIT) {
        const endpoint = await this.tx.manager.findOneBy(WebhookEndpoint, { id: endpointId });
        if (!endpoint?.enabled || (endpoint.nextAttemptAt && endpoint.nextAttemptAt > now)) break;
        const [row] = await outboxAfter(this.tx.manager, endpoint.circleId, endpoint.deliveredThrough, endpoint.eventTypes, 1);
        if (!row) break;
        const { result } = await this.send(endpoint, toEventResponse(row), 'event', endpoint.attempt + 1);
        if (!result.ok) {
          await this.failed(endpoint, Number(row.sequence), now);
          break;
        }
        await this.tx.manager.query(
          `UPDATE webhook_endpoints SET delivered_through = $2, attempt = 0, next_attempt_at = NULL, failing_since = NULL
            WHERE id = $1 AND delivered_through = $3`,
          [endpointId, row.sequence, endpoint.deliveredThrough],
        );
        delivered++;
        await this.lease(endpointId, false);
      }
    } finally {
      await this.tx.manager.query('UPDATE webhook_endpoints SET leased_until = NULL WHERE id = $1', [endpointId]);
    }
    return delivered;
  }

  /** Sends one event again, now, outside the endpoint's order (its position does not move). */
  async redeliver(endpoint: WebhookEndpoint, event: EventResponse): Promise<WebhookDelivery> {
    return (await this.send(endpoint, event, 'redelivery', 1)).log;
  }

  /** A test event (`webhook.ping`) that is not in the outbox. */
  async ping(endpoint: WebhookEndpoint): Promise<WebhookDelivery> {
    const event: EventResponse = { id: randomUUID(), type: 'webhook.ping', timestamp: new Date().toISOString(), circleId: endpoint.circleId, sequence: 0, data: { endpointId: endpoint.id } };
    return (await this.send(endpoint, event, 'ping', 1)).log;
  }

  /** One POST of `event`, signed, and its line in the delivery log. */
  private async send(endpoint: WebhookEndpoint, event: EventResponse, kind: WebhookDelivery['kind'], attempt: number): Promise<{ result: SendResult; log: WebhookDelivery }> {
    const at = new Date();
    const body = JSON.stringify(event);
    const secrets = [this.secrets.open(endpoint.id, endpoint.secret)];
    if (endpoint.previousSecret && endpoint.previousSecretUntil && endpoint.previousSecretUntil > at) secrets.push(this.secrets.open(endpoint.id, endpoint.previousSecret));
    const headers = {
      'webhook-id': event.id,
      'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
      'webhook-signature': this.secrets.signature(secrets, event.id, at, body),
    };
    const result = await sendWebhook(endpoint.url, headers, body, this.config.webhookAllowPrivate);
    const log = this.tx.manager.create(WebhookDelivery, {
      id: randomUUID(),
      endpointId: endpoint.id,
      circleId: endpoint.circleId,
      eventId: event.id,
      eventType: event.type,
      sequence: kind === 'ping' ? null : String(event.sequence),
      kind,
      attempt,
      status: result.ok ? 'delivered' : 'failed',
      responseStatus: result.status,
      responseBody: result.body,
      error: result.error,
      durationMs: result.durationMs,
      attemptedAt: at,
    });
    await this.tx.manager.insert(WebhookDelivery, log);
    return { result, log };
  }

  /** Schedules the next attempt, or disables the endpoint when the schedule is used up and tells the organizers. */
  private async failed(endpoint: WebhookEndpoint, sequence: number, now: Date): Promise<void> {
    const attempt = endpoint.attempt + 1;
    const failingSince = endpoint.failingSince ?? now;
    if (attempt <= RETRY_SCHEDULE_SECONDS.length) {
      const next = new Date(now.getTime() + RETRY_SCHEDULE_SECONDS[attempt - 1] * 1000);
      await this.tx.manager.query('UPDATE webhook_endpoints SET attempt = $2, next_attempt_at = $3, failing_since = $4 WHERE id = $1', [endpoint.id, attempt, next, failingSince]);
      return;
    }
    await this.tx.run(async (manager) => {
      await manager.query(`UPDATE webhook_endpoints SET enabled = false, disabled_reason = 'failing', attempt = $2, next_attempt_at = NULL WHERE id = $1`, [endpoint.id, attempt]);
      await this.events.emit('webhook.endpoint_disabled', endpoint.circleId, { endpointId: endpoint.id, failingSince: failingSince.toISOString(), stuckAtSequence: sequence }, now);
    });
    // Ids only (invariant 9).
    this.logger.warn({ circleId: endpoint.circleId, endpointId: endpoint.id, sequence }, 'webhook endpoint disabled after failing through its retry schedule');
  }

  /** Claims (or, while running, extends) the endpoint's one-minute lease; false when another run holds it. */
  private async lease(endpointId: string, claim: boolean): Promise<boolean> {
    const [rows]: [unknown[], number] = await this.tx.manager.query(
      `UPDATE webhook_endpoints SET leased_until = clock_timestamp() + interval '60 seconds'
        WHERE id = $1 AND ($2 = false OR leased_until IS NULL OR leased_until < clock_timestamp())
        RETURNING id`,
      [endpointId, claim],
    );
    return rows.length === 1;
  }
}
