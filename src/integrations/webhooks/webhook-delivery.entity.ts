import { Check, Column, Entity, ForeignKey, Index, PrimaryColumn } from 'typeorm';
import { WebhookEndpoint } from './webhook-endpoint.entity.js';

/** One attempt to deliver one event (or a test ping) to one endpoint: the endpoint's delivery log. */
@Entity('webhook_deliveries')
@Index('idx_webhook_deliveries_endpoint', ['endpointId', 'attemptedAt', 'id'])
@Check('ck_webhook_deliveries_kind', `kind IN ('event', 'redelivery', 'ping')`)
@Check('ck_webhook_deliveries_status', `status IN ('delivered', 'failed')`)
export class WebhookDelivery {
  @PrimaryColumn('uuid', { primaryKeyConstraintName: 'pk_webhook_deliveries' })
  id: string;

  @Column('uuid', { name: 'endpoint_id' })
  @ForeignKey(() => WebhookEndpoint, { name: 'fk_webhook_deliveries_endpoint', onDelete: 'CASCADE' })
  endpointId: string;

  @Column('uuid', { name: 'circle_id' })
  circleId: string;

  /** The event's id, which is also the delivery's webhook-id header. */
  @Column('uuid', { name: 'event_id' })
  eventId: string;

  @Column('varchar', { name: 'event_type', length: 64 })
  eventType: string;

  /** The event's outbox sequence; null for a ping. */
  @Column('bigint', { nullable: true })
  sequence: string | null;

  @Column('varchar', { length: 16 })
  kind: 'event' | 'redelivery' | 'ping';

  @Column('int')
  attempt: number;

  @Column('varchar', { length: 16 })
  status: 'delivered' | 'failed';

  @Column('int', { name: 'response_status', nullable: true })
  responseStatus: number | null;

  /** The start of the response body, at most 1,024 characters. */
  @Column('varchar', { name: 'response_body', length: 1024, nullable: true })
  responseBody: string | null;

  /** Why no response was accepted when there was none: timeout, refused address, … (fixed texts). */
  @Column('varchar', { length: 200, nullable: true })
  error: string | null;

  @Column('int', { name: 'duration_ms' })
  durationMs: number;

  @Column({ name: 'attempted_at', type: 'timestamptz' })
  attemptedAt: Date;
}
