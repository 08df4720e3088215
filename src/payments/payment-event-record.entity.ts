import { Check, Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';
import { providerNameCheck } from './payment-providers.js';

/**
 * One provider webhook event that was acted on. Inserted in the same transaction as the
 * event's effect, so the primary key makes each event take effect at most once (invariant 5).
 * Keyed by the provider account, not a circle: the event names its circle only once re-read.
 */
@Entity({ name: 'payment_events' })
@Check('ck_payment_events_provider', providerNameCheck())
export class PaymentEventRecord {
  @PrimaryColumn({ type: 'varchar', length: 16, primaryKeyConstraintName: 'pk_payment_events' })
  provider: string;

  @PrimaryColumn({ name: 'event_id', type: 'varchar', length: 255, primaryKeyConstraintName: 'pk_payment_events' })
  eventId: string;

  @Column({ name: 'event_type', type: 'varchar', length: 100 })
  eventType: string;

  @CreateDateColumn({ name: 'processed_at', type: 'timestamptz' })
  processedAt: Date;
}
