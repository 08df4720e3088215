import { Check, Column, CreateDateColumn, Entity, ForeignKey, Index, PrimaryColumn } from 'typeorm';

/**
 * A circle's webhook endpoint. Deliveries follow the outbox in sequence order: an event is
 * sent until the endpoint accepts it (or is disabled), and only then the next one, so
 * `delivered_through` is the endpoint's whole position. Secrets are sealed under the
 * master key (VaultCipher.sealSecret); only their creation response ever shows them.
 */
@Entity('webhook_endpoints')
@Index('idx_webhook_endpoints_circle', ['circleId', 'createdAt', 'id'])
@Check('ck_webhook_endpoints_event_types', `cardinality(event_types) >= 1`)
@Check('ck_webhook_endpoints_attempt', `attempt >= 0`)
@Check('ck_webhook_endpoints_delivered_through', `delivered_through >= 0`)
export class WebhookEndpoint {
  @PrimaryColumn('uuid', { primaryKeyConstraintName: 'pk_webhook_endpoints' })
  id: string;

  @Column('uuid', { name: 'circle_id' })
  @ForeignKey('circles', { name: 'fk_webhook_endpoints_circle', onDelete: 'RESTRICT' })
  circleId: string;

  @Column('varchar', { length: 2048 })
  url: string;

  @Column('varchar', { length: 200, nullable: true })
  description: string | null;

  @Column('varchar', { name: 'event_types', length: 64, array: true })
  eventTypes: string[];

  @Column('boolean')
  enabled: boolean;

  /** Why the server disabled it ('failing'); null when enabled or disabled by an organizer. */
  @Column('varchar', { name: 'disabled_reason', length: 32, nullable: true })
  disabledReason: string | null;

  @Column('bytea')
  secret: Buffer;

  /** The secret before the last rotation, still signing until previous_secret_until. */
  @Column('bytea', { name: 'previous_secret', nullable: true })
  previousSecret: Buffer | null;

  @Column({ name: 'previous_secret_until', type: 'timestamptz', nullable: true })
  previousSecretUntil: Date | null;

  /** The last outbox sequence of the circle this endpoint is done with. */
  @Column('bigint', { name: 'delivered_through', default: 0 })
  deliveredThrough: string;

  /** Failed attempts at the event after delivered_through. */
  @Column('int', { default: 0 })
  attempt: number;

  @Column({ name: 'next_attempt_at', type: 'timestamptz', nullable: true })
  nextAttemptAt: Date | null;

  @Column({ name: 'failing_since', type: 'timestamptz', nullable: true })
  failingSince: Date | null;

  /** One delivery run per endpoint at a time, across instances: claimed until this time. */
  @Column({ name: 'leased_until', type: 'timestamptz', nullable: true })
  leasedUntil: Date | null;

  @Column('uuid', { name: 'created_by' })
  createdBy: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
