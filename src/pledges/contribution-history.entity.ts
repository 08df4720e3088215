import { Check, Column, Entity, ForeignKey, Index, PrimaryGeneratedColumn } from 'typeorm';
import { Contribution } from './contribution.entity.js';
import type { ContributionStatus } from './contribution-method.js';
import { ACTOR_CHECK, USER_ACTOR_CHECK } from '../common/actor.js';
import { StateHistory } from '../common/state-history.entity.js';

/**
 * Who recorded and who approved each contribution, and when. Append-only: a trigger
 * (migration 1790000000600) refuses UPDATE, DELETE and TRUNCATE.
 */
@Entity({ name: 'contribution_history' })
@ForeignKey(() => Contribution, ['contributionId', 'circleId'], ['id', 'circleId'], { name: 'fk_contribution_history_contribution', onDelete: 'RESTRICT' })
@Index('idx_contribution_history_contribution', ['contributionId', 'id'])
@Check('ck_contribution_history_to_status', `to_status IN ('pending', 'posted')`)
@Check('ck_contribution_history_actor', ACTOR_CHECK)
@Check('ck_contribution_history_user_actor', USER_ACTOR_CHECK)
export class ContributionHistory extends StateHistory<ContributionStatus> {
  @PrimaryGeneratedColumn('identity', { type: 'bigint', generatedIdentity: 'ALWAYS', primaryKeyConstraintName: 'pk_contribution_history' })
  id: string;

  @Column({ name: 'contribution_id', type: 'uuid' })
  contributionId: string;
}
