import { Check, Column, Entity, ForeignKey, Index, PrimaryGeneratedColumn } from 'typeorm';
import { ACTOR_CHECK, USER_ACTOR_CHECK } from '../../common/actor.js';
import { StateHistory } from '../../common/state-history.entity.js';
import { PendingAdjustment } from './pending-adjustment.entity.js';
import type { PendingAdjustmentStatus } from './pending-adjustment-status.js';

/** Who asked for, approved or rejected each pending adjustment, and when. Append-only (migration 1790000001250). */
@Entity('pending_adjustment_history')
@ForeignKey(() => PendingAdjustment, ['pendingAdjustmentId', 'circleId'], ['id', 'circleId'], { name: 'fk_pending_adjustment_history_adjustment', onDelete: 'RESTRICT' })
@Index('idx_pending_adjustment_history_adjustment', ['pendingAdjustmentId', 'id'])
@Check('ck_pending_adjustment_history_to_status', `to_status IN ('pending', 'approved', 'rejected')`)
@Check('ck_pending_adjustment_history_actor', ACTOR_CHECK)
@Check('ck_pending_adjustment_history_user_actor', USER_ACTOR_CHECK)
export class PendingAdjustmentHistory extends StateHistory<PendingAdjustmentStatus> {
  @PrimaryGeneratedColumn('identity', { type: 'bigint', generatedIdentity: 'ALWAYS', primaryKeyConstraintName: 'pk_pending_adjustment_history' })
  id: string;

  @Column('uuid', { name: 'pending_adjustment_id' })
  pendingAdjustmentId: string;
}
