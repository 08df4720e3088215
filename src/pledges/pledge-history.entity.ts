import { Check, Column, Entity, ForeignKey, Index, PrimaryGeneratedColumn } from 'typeorm';
import { Pledge } from './pledge.entity.js';
import type { PledgeStatus } from './pledge-status.js';
import { ACTOR_CHECK, USER_ACTOR_CHECK } from '../common/actor.js';
import { StateHistory } from '../common/state-history.entity.js';

/**
 * Every state a pledge entered, with who and when (docs/design.md "State machines"). Append-only:
 * a trigger (migration 1790000000600) refuses UPDATE, DELETE and TRUNCATE.
 */
@Entity({ name: 'pledge_history' })
@ForeignKey(() => Pledge, ['pledgeId', 'circleId'], ['id', 'circleId'], { name: 'fk_pledge_history_pledge', onDelete: 'RESTRICT' })
@Index('idx_pledge_history_pledge', ['pledgeId', 'id'])
@Index('idx_pledge_history_circle_at', ['circleId', 'at'])
@Check('ck_pledge_history_to_status', `to_status IN ('pending', 'active', 'paused', 'past_due', 'lapsed', 'cancelled', 'completed')`)
@Check('ck_pledge_history_actor', ACTOR_CHECK)
@Check('ck_pledge_history_user_actor', USER_ACTOR_CHECK)
export class PledgeHistory extends StateHistory<PledgeStatus> {
  @PrimaryGeneratedColumn('identity', { type: 'bigint', generatedIdentity: 'ALWAYS', primaryKeyConstraintName: 'pk_pledge_history' })
  id: string;

  @Column({ name: 'pledge_id', type: 'uuid' })
  pledgeId: string;
}
