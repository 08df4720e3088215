import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { CircleAccess } from '../../circles/circle-access.service.js';
import { DomainError } from '../../common/errors/domain-error.js';
import { decodeCursor, toPage, type Page } from '../../common/pagination.js';
import { APP_CONFIG, type AppConfig } from '../../config/app-config.js';
import { TransactionHost } from '../../database/transaction-host.js';
import { toEventResponse, type OutboxRow } from '../dto/event.response.js';
import { OUTBOX_COLUMNS } from '../event-feed.service.js';
import type { CreateWebhookEndpointDto } from './dto/create-webhook-endpoint.dto.js';
import type { UpdateWebhookEndpointDto } from './dto/update-webhook-endpoint.dto.js';
import { toWebhookDeliveryResponse, type WebhookDeliveryResponse } from './dto/webhook-delivery.response.js';
import { toWebhookEndpointResponse, type CreatedWebhookEndpointResponse, type RotatedSecretResponse, type WebhookEndpointResponse } from './dto/webhook-endpoint.response.js';
import { WebhookDelivery } from './webhook-delivery.entity.js';
import { WebhookDispatcher } from './webhook-dispatcher.service.js';
import { WebhookEndpoint } from './webhook-endpoint.entity.js';
import { SECRET_OVERLAP_MS, WebhookSecrets } from './webhook-secrets.js';
import { endpointUrlProblem } from './webhook-url.js';

/** Organizers' management of a circle's webhook endpoints, their secrets and delivery logs. */
@Injectable()
export class WebhooksService {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly tx: TransactionHost,
    private readonly access: CircleAccess,
    private readonly secrets: WebhookSecrets,
    private readonly dispatcher: WebhookDispatcher,
  ) {}

  /** A new endpoint receives the events that happen from now on, not the circle's history (the feed has that). */
  async create(userId: string, circleId: string, dto: CreateWebhookEndpointDto): Promise<CreatedWebhookEndpointResponse> {
    await this.access.require(circleId, userId);
    this.checkUrl(dto.url);
    const id = randomUUID();
    const secret = this.secrets.generate();
    await this.tx.manager.query(
      `INSERT INTO webhook_endpoints (id, circle_id, url, description, event_types, enabled, secret, delivered_through, created_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7, coalesce((SELECT sequence FROM outbox_heads WHERE circle_id = $2), 0), $8)`,
      [id, circleId, dto.url, dto.description ?? null, dto.eventTypes, dto.enabled ?? true, this.secrets.seal(id, secret), userId],
    );
    return { ...toWebhookEndpointResponse(await this.find(circleId, id)), secret };
  }

  async list(userId: string, circleId: string, limit: number, cursor?: string): Promise<Page<WebhookEndpointResponse>> {
    await this.access.require(circleId, userId);
    const after = decodeCursor(cursor, 2);
    const qb = this.tx.manager.createQueryBuilder(WebhookEndpoint, 'w').where('w.circle_id = :circleId', { circleId }).orderBy('w.created_at', 'ASC').addOrderBy('w.id', 'ASC').limit(limit + 1);
    if (after) qb.andWhere('(w.created_at, w.id) > (:at::timestamptz, :id::uuid)', { at: after[0], id: after[1] });
    const rows = await qb.getMany();
    return toPage(rows, limit, (w) => [w.createdAt.toISOString(), w.id], (w) => toWebhookEndpointResponse(w));
  }

  async get(userId: string, circleId: string, endpointId: string): Promise<WebhookEndpointResponse> {
    await this.access.require(circleId, userId);
    return toWebhookEndpointResponse(await this.find(circleId, endpointId));
  }

  async update(userId: string, circleId: string, endpointId: string, dto: UpdateWebhookEndpointDto): Promise<WebhookEndpointResponse> {
    await this.access.require(circleId, userId);
    const current = await this.find(circleId, endpointId);
    if (dto.url !== undefined) this.checkUrl(dto.url);
    const changes: Partial<WebhookEndpoint> = {};
    if (dto.url !== undefined) changes.url = dto.url;
    if (dto.description !== undefined) changes.description = dto.description;
    if (dto.eventTypes !== undefined) changes.eventTypes = dto.eventTypes;
    if (dto.enabled !== undefined) changes.enabled = dto.enabled;
    // Switched on again: the failing event is tried at once and the retry schedule starts over.
    if (dto.enabled === true && !current.enabled) Object.assign(changes, { disabledReason: null, attempt: 0, nextAttemptAt: null, failingSince: null });
    if (Object.keys(changes).length) await this.tx.manager.update(WebhookEndpoint, { id: endpointId, circleId }, changes);
    return toWebhookEndpointResponse(await this.find(circleId, endpointId));
  }

  async remove(userId: string, circleId: string, endpointId: string): Promise<void> {
    await this.access.require(circleId, userId);
    const result = await this.tx.manager.delete(WebhookEndpoint, { id: endpointId, circleId });
    if (result.affected !== 1) throw DomainError.notFound('webhook endpoint');
  }

  /** A new secret, shown once; the old one keeps signing beside it for 24 hours. */
  async rotateSecret(userId: string, circleId: string, endpointId: string, now: Date = new Date()): Promise<RotatedSecretResponse> {
    await this.access.require(circleId, userId);
    const current = await this.find(circleId, endpointId);
    const secret = this.secrets.generate();
    const until = new Date(now.getTime() + SECRET_OVERLAP_MS);
    await this.tx.manager.update(WebhookEndpoint, { id: endpointId, circleId }, { secret: this.secrets.seal(endpointId, secret), previousSecret: current.secret, previousSecretUntil: until });
    return { secret, previousSecretValidUntil: until.toISOString() };
  }

  /** The endpoint's delivery log, newest first. */
  async deliveries(userId: string, circleId: string, endpointId: string, limit: number, cursor?: string): Promise<Page<WebhookDeliveryResponse>> {
    await this.access.require(circleId, userId);
    await this.find(circleId, endpointId);
    const after = decodeCursor(cursor, 2);
    const qb = this.tx.manager
      .createQueryBuilder(WebhookDelivery, 'd')
      .where('d.endpoint_id = :endpointId', { endpointId })
      .orderBy('d.attempted_at', 'DESC')
      .addOrderBy('d.id', 'DESC')
      .limit(limit + 1);
    if (after) qb.andWhere('(d.attempted_at, d.id) < (:at::timestamptz, :id::uuid)', { at: after[0], id: after[1] });
    const rows = await qb.getMany();
    return toPage(rows, limit, (d) => [d.attemptedAt.toISOString(), d.id], toWebhookDeliveryResponse);
  }

  async redeliver(userId: string, circleId: string, endpointId: string, eventId: string): Promise<WebhookDeliveryResponse> {
    await this.access.require(circleId, userId);
    const endpoint = await this.find(circleId, endpointId);
    const [row]: OutboxRow[] = await this.tx.manager.query(`SELECT ${OUTBOX_COLUMNS} FROM outbox_events e WHERE e.id = $1 AND e.circle_id = $2`, [eventId, circleId]);
    if (!row) throw DomainError.notFound('event');
    return toWebhookDeliveryResponse(await this.dispatcher.redeliver(endpoint, toEventResponse(row)));
  }

  async ping(userId: string, circleId: string, endpointId: string): Promise<WebhookDeliveryResponse> {
    await this.access.require(circleId, userId);
    return toWebhookDeliveryResponse(await this.dispatcher.ping(await this.find(circleId, endpointId)));
  }

  private checkUrl(url: string): void {
    const problem = endpointUrlProblem(url, this.config.webhookAllowPrivate);
    if (problem) throw new DomainError('validation-failed', problem, { errors: [{ field: 'url', message: problem }] });
  }

  private async find(circleId: string, endpointId: string): Promise<WebhookEndpoint> {
    const endpoint = await this.tx.manager.findOneBy(WebhookEndpoint, { id: endpointId, circleId });
    if (!endpoint) throw DomainError.notFound('webhook endpoint');
    return endpoint;
  }
}
