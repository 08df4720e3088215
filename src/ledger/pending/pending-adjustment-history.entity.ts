import { Check, Column, Entity, ForeignKey, Index, PrimaryGeneratedColumn } from 'typeorm';
import { PendingAdjustment } from './pending-adjustment.entity.js';
import type { PendingAdjustmentStatus } from './pending-adjustment-status.js';

/** Who asked for, approved or rejected each pending adjustment, and when. Append-only (migration 1790000001260). */
@Entity('pending_adjustment_history')
@ForeignKey(() => PendingAdjustment, ['pendingAdjustmentId', 'circleId'], ['id', 'circleId'], { name: 'fk_pending_adjustment_history_adjustment', onDelete: 'RESTRICT' })
@Index('idx_pending_adjustment_history_adjustment', ['pendingAdjustmentId', 'id'])
@Check('ck_pending_adjustment_history_to_status', `to_status IN ('pending', 'approved', 'rejected')`)
export class PendingAdjustmentHistory {
  @PrimaryGeneratedColumn('identity', { type: 'bigint', generatedIdentity: 'ALWAYS', primaryKeyConstraintName: 'pk_pending_adjustment_history' })
  id: string;

  @Column('uuid', { name: 'circle_id' })
  circleId: string;

  @Column('uuid', { name: 'pending_adjustment_id' })
  pendingAdjustmentId: string;

  /** NULL when the adjustment was asked for. */
  @Column('varchar', { name: 'from_status', length: 16, nullable: true })
  fromStatus: PendingAdjustmentStatus | null;

  @Column('varchar', { name: 'to_status', length: 16 })
  toStatus: PendingAdjustmentStatus;

  @Column('uuid', { name: 'actor_user_id' })
  actorUserId: string;

  @Column('timestamptz', { default: () => 'now()' })
  at: Date;
}
