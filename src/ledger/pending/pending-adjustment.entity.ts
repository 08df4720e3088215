import { Check, Column, CreateDateColumn, Entity, ForeignKey, Index, PrimaryColumn, Unique } from 'typeorm';
import type { AdjustmentDirection } from '../dto/create-adjustment.dto.js';
import type { PendingAdjustmentStatus } from './pending-adjustment-status.js';

/**
 * An adjustment waiting for a second person (docs/ledger.md, "Amount limits"). Its figures
 * never change and a decided one is final: a trigger (migration 1790000001260) refuses
 * both, and DELETE. Approving posts the transfer whose id is this record's id.
 */
@Entity('pending_adjustments')
@Unique('uq_pending_adjustments_id_circle', ['id', 'circleId'])
@Index('idx_pending_adjustments_circle', ['circleId', 'createdAt', 'id'])
@Check('ck_pending_adjustments_status', `status IN ('pending', 'approved', 'rejected')`)
@Check('ck_pending_adjustments_direction', `direction IN ('in', 'out')`)
@Check('ck_pending_adjustments_amount', `amount BETWEEN 1 AND 9007199254740991`)
@Check('ck_pending_adjustments_decided', `(status = 'pending') = (decided_by IS NULL)`)
@Check('ck_pending_adjustments_posted', `(status = 'approved') = (transfer_id IS NOT NULL)`)
// The point of the record: the person who approves is not the one who asked.
@Check('ck_pending_adjustments_second_person', `status <> 'approved' OR decided_by <> requested_by`)
export class PendingAdjustment {
  @PrimaryColumn('uuid', { primaryKeyConstraintName: 'pk_pending_adjustments' })
  id: string;

  @Column('uuid', { name: 'circle_id' })
  @ForeignKey('circles', { name: 'fk_pending_adjustments_circle', onDelete: 'RESTRICT' })
  circleId: string;

  @Column('varchar', { length: 3 })
  direction: AdjustmentDirection;

  /** Minor units; bigint arrives as a string. */
  @Column('bigint')
  amount: string;

  @Column('varchar', { length: 140, nullable: true })
  memo: string | null;

  @Column('varchar', { length: 16, default: 'pending' })
  status: PendingAdjustmentStatus;

  @Column('uuid', { name: 'requested_by' })
  requestedBy: string;

  @Column('uuid', { name: 'decided_by', nullable: true })
  decidedBy: string | null;

  @Column('uuid', { name: 'transfer_id', nullable: true })
  @ForeignKey('ledger_transfers', { name: 'fk_pending_adjustments_transfer', onDelete: 'RESTRICT' })
  transferId: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt: Date;

  @Column('timestamptz', { name: 'decided_at', nullable: true })
  decidedAt: Date | null;
}
