import { Check, Column, CreateDateColumn, Entity, ForeignKey, Index, PrimaryColumn, Unique } from 'typeorm';
import type { PledgeMethod, PledgeStatus } from './pledge-status.js';

/**
 * A donor's promise of a weekly amount. Moves between states only through guarded updates
 * (PledgeTransitions), each recorded in pledge_history. Amounts are bigint minor units
 * (strings here). Provider ids are opaque references owned by the payments module.
 */
@Entity({ name: 'pledges' })
// Target of the composite foreign keys that keep contributions and history in the pledge's circle.
@Unique('uq_pledges_id_circle', ['id', 'circleId'])
@ForeignKey('cycles', ['cycleId', 'circleId'], ['id', 'circleId'], { name: 'fk_pledges_cycle', onDelete: 'RESTRICT' })
@Index('idx_pledges_circle_created', ['circleId', 'createdAt', 'id'])
@Index('idx_pledges_donor', ['circleId', 'donorUserId', 'createdAt'])
@Index('uq_pledges_checkout_ref', ['providerCheckoutRef'], { unique: true, where: 'provider_checkout_ref IS NOT NULL' })
@Index('uq_pledges_subscription_ref', ['providerSubscriptionRef'], { unique: true, where: 'provider_subscription_ref IS NOT NULL' })
@Check('ck_pledges_status', `status IN ('pending', 'active', 'paused', 'past_due', 'lapsed', 'cancelled', 'completed')`)
@Check('ck_pledges_method', `method IN ('card', 'manual')`)
@Check('ck_pledges_amount_positive', `amount > 0`)
@Check('ck_pledges_version_positive', `version >= 1`)
// Only card pledges talk to the provider.
@Check('ck_pledges_provider_refs_card_only', `method = 'card' OR (provider_checkout_ref IS NULL AND provider_subscription_ref IS NULL)`)
@Check('ck_pledges_paused_on', `(status = 'paused') = (paused_on IS NOT NULL)`)
export class Pledge {
  @PrimaryColumn({ type: 'uuid' })
  id: string;

  @Column({ name: 'circle_id', type: 'uuid' })
  @ForeignKey('circles', { name: 'fk_pledges_circle', onDelete: 'RESTRICT' })
  circleId: string;

  @Column({ name: 'donor_user_id', type: 'uuid' })
  donorUserId: string;

  /** NULL: ongoing; set: the pledge ends (completed) with that cycle. */
  @Column({ name: 'cycle_id', type: 'uuid', nullable: true })
  cycleId: string | null;

  @Column({ type: 'bigint' })
  amount: string;

  @Column({ type: 'char', length: 3 })
  currency: string;

  @Column({ type: 'varchar', length: 8 })
  method: PledgeMethod;

  @Column({ type: 'varchar', length: 16 })
  status: PledgeStatus;

  /** Bumped by every transition; names the change in provider idempotency keys. */
  @Column({ type: 'integer', default: 1 })
  version: number;

  /**
   * Week 1 of a manual pledge starts on this date (circle time zone); moved forward by the
   * days spent paused, so paused weeks are never counted as missed.
   */
  @Column({ name: 'anchor_on', type: 'date' })
  anchorOn: string;

  @Column({ name: 'paused_on', type: 'date', nullable: true })
  pausedOn: string | null;

  @Column({ name: 'provider_checkout_ref', type: 'varchar', length: 255, nullable: true })
  providerCheckoutRef: string | null;

  @Column({ name: 'provider_subscription_ref', type: 'varchar', length: 255, nullable: true })
  providerSubscriptionRef: string | null;

  // Millisecond precision, like a JS Date, so a page cursor made from it is exact.
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt: Date;

  @Column({ name: 'status_changed_at', type: 'timestamptz', default: () => 'now()' })
  statusChangedAt: Date;
}
