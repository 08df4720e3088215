import { Check, Column, Entity, ForeignKey, PrimaryColumn, Unique } from 'typeorm';

/**
 * The outbox: every domain event (event-map.ts), written by EventsService.emit in the
 * transaction of the change it describes, numbered per circle 1, 2, 3, … in commit order.
 * The polling feed and webhook deliveries read it. Append-only: a trigger refuses UPDATE,
 * DELETE and TRUNCATE (migration 1790000001300).
 */
@Entity('outbox_events')
@Unique('uq_outbox_events_circle_sequence', ['circleId', 'sequence'])
@Check('ck_outbox_events_sequence', `sequence >= 1`)
@Check('ck_outbox_events_type', `type ~ '^[a-z_]+\\.[a-z_]+$'`)
export class OutboxEvent {
  @PrimaryColumn('uuid', { primaryKeyConstraintName: 'pk_outbox_events' })
  id: string;

  @Column('uuid', { name: 'circle_id' })
  @ForeignKey('circles', { name: 'fk_outbox_events_circle', onDelete: 'RESTRICT' })
  circleId: string;

  @Column('bigint')
  sequence: string;

  @Column('varchar', { length: 64 })
  type: string;

  @Column('jsonb')
  data: Record<string, unknown>;

  @Column({ name: 'occurred_at', type: 'timestamptz', precision: 3 })
  occurredAt: Date;
}
