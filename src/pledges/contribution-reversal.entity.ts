import { Check, Column, CreateDateColumn, Entity, ForeignKey, Index, PrimaryColumn } from 'typeorm';
import { Contribution } from './contribution.entity.js';

/**
 * A card refund or dispute booked against a contribution: one compensating transfer per
 * provider refund/dispute id, whatever order or how often its events arrive (invariant 5).
 */
@Entity({ name: 'contribution_reversals' })
@Index('uq_contribution_reversals_provider_ref', ['providerRef'], { unique: true })
@Index('uq_contribution_reversals_transfer', ['transferId'], { unique: true })
@Index('idx_contribution_reversals_contribution', ['contributionId'])
@ForeignKey(() => Contribution, ['contributionId', 'circleId'], ['id', 'circleId'], { name: 'fk_contribution_reversals_contribution', onDelete: 'RESTRICT' })
@Check('ck_contribution_reversals_kind', `kind IN ('refund', 'dispute')`)
@Check('ck_contribution_reversals_amounts', `amount > 0 AND fee >= 0 AND shortfall >= 0 AND shortfall <= amount + fee`)
@Check('ck_contribution_reversals_reinstated', `kind = 'dispute' OR reinstated_transfer_id IS NULL`)
export class ContributionReversal {
  @PrimaryColumn({ type: 'uuid' })
  id: string;

  @Column({ name: 'circle_id', type: 'uuid' })
  circleId: string;

  @Column({ name: 'contribution_id', type: 'uuid' })
  contributionId: string;

  @Column({ type: 'varchar', length: 16 })
  kind: 'refund' | 'dispute';

  /** Opaque provider refund or dispute id. */
  @Column({ name: 'provider_ref', type: 'varchar', length: 255 })
  providerRef: string;

  /** The amount refunded or disputed. */
  @Column({ type: 'bigint' })
  amount: string;

  /** A dispute fee the provider charged on top. */
  @Column({ type: 'bigint', default: 0 })
  fee: string;

  /**
   * What the pool could not cover (invariant 4: it never goes negative), booked against
   * `adjustments` and shown to treasurers so they can settle it.
   */
  @Column({ type: 'bigint', default: 0 })
  shortfall: string;

  @Column({ name: 'transfer_id', type: 'uuid' })
  transferId: string;

  /** A won dispute: the ledger reversal of this row's transfer. */
  @Column({ name: 'reinstated_transfer_id', type: 'uuid', nullable: true })
  reinstatedTransferId: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
