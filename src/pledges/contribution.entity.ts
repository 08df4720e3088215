import { Check, Column, CreateDateColumn, Entity, ForeignKey, Index, PrimaryColumn, Unique } from 'typeorm';
import { Pledge } from './pledge.entity.js';
import type { ContributionMethod, ContributionStatus } from './contribution-method.js';

/**
 * Money actually received: one card payment, or cash (etc.) recorded by a treasurer.
 * Posted to the ledger once (transfer_id); card refunds and disputes are separate
 * compensating postings (contribution_reversals), never edits of this row's amounts.
 */
@Entity({ name: 'contributions' })
@Unique('uq_contributions_id_circle', ['id', 'circleId'])
// Invariant 5: at most one contribution per provider payment id.
@Index('uq_contributions_provider_payment_ref', ['providerPaymentRef'], { unique: true, where: 'provider_payment_ref IS NOT NULL' })
@Index('uq_contributions_transfer', ['transferId'], { unique: true, where: 'transfer_id IS NOT NULL' })
@Index('idx_contributions_circle_created', ['circleId', 'createdAt', 'id'])
@Index('idx_contributions_circle_received', ['circleId', 'receivedOn'])
@Index('idx_contributions_pledge', ['pledgeId'])
@ForeignKey(() => Pledge, ['pledgeId', 'circleId'], ['id', 'circleId'], { name: 'fk_contributions_pledge', onDelete: 'RESTRICT' })
@Check('ck_contributions_status', `status IN ('pending', 'posted')`)
@Check('ck_contributions_method', `method IN ('card', 'cash', 'cashapp', 'venmo', 'zelle', 'paypal', 'bank', 'other')`)
@Check('ck_contributions_amounts', `amount > 0 AND fee >= 0 AND fee <= amount`)
// Money safety: a posted contribution always names its ledger transfer, and only those do.
@Check('ck_contributions_posted_transfer', `(status = 'posted') = (transfer_id IS NOT NULL)`)
// Card money comes only through the provider, and provider money only by card.
@Check('ck_contributions_card_provider', `(method = 'card') = (provider_payment_ref IS NOT NULL)`)
// Second approval means a different person: the recorder cannot approve their own entry.
@Check('ck_contributions_second_approver', `approved_by IS NULL OR recorded_by IS NULL OR approved_by <> recorded_by`)
export class Contribution {
  @PrimaryColumn({ type: 'uuid' })
  id: string;

  @Column({ name: 'circle_id', type: 'uuid' })
  @ForeignKey('circles', { name: 'fk_contributions_circle', onDelete: 'RESTRICT' })
  circleId: string;

  /** NULL for a one-off gift recorded without a pledge. */
  @Column({ name: 'pledge_id', type: 'uuid', nullable: true })
  pledgeId: string | null;

  /** The pledge's donor, copied so donors can list their own; NULL for a one-off gift. */
  @Column({ name: 'donor_user_id', type: 'uuid', nullable: true })
  donorUserId: string | null;

  @Column({ type: 'varchar', length: 16 })
  method: ContributionMethod;

  /** Gross received, in minor units of the circle currency. */
  @Column({ type: 'bigint' })
  amount: string;

  /** Provider fee taken from it (card only); the pool got amount − fee. */
  @Column({ type: 'bigint', default: 0 })
  fee: string;

  @Column({ type: 'char', length: 3 })
  currency: string;

  /** The day the money arrived, in the circle's time zone. */
  @Column({ name: 'received_on', type: 'date' })
  receivedOn: string;

  @Column({ type: 'varchar', length: 16 })
  status: ContributionStatus;

  @Column({ name: 'transfer_id', type: 'uuid', nullable: true })
  transferId: string | null;

  /** Opaque provider payment id (a Stripe invoice id), owned by the payments module. */
  @Column({ name: 'provider_payment_ref', type: 'varchar', length: 255, nullable: true })
  providerPaymentRef: string | null;

  /** users.id of the treasurer or organizer who recorded it; NULL for card payments. */
  @Column({ name: 'recorded_by', type: 'uuid', nullable: true })
  recordedBy: string | null;

  @Column({ name: 'approved_by', type: 'uuid', nullable: true })
  approvedBy: string | null;

  @Column({ name: 'posted_at', type: 'timestamptz', nullable: true })
  postedAt: Date | null;

  // Millisecond precision, like a JS Date, so a page cursor made from it is exact.
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt: Date;
}
