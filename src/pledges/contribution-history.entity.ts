import { Check, Column, Entity, ForeignKey, Index, PrimaryGeneratedColumn } from 'typeorm';
import { Contribution } from './contribution.entity.js';
import type { ContributionStatus } from './contribution-method.js';
import { ACTOR_CHECK, USER_ACTOR_CHECK, type ActorKind } from '../common/actor.js';

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
export class ContributionHistory {
  @PrimaryGeneratedColumn('identity', { type: 'bigint', generatedIdentity: 'ALWAYS', primaryKeyConstraintName: 'pk_contribution_history' })
  id: string;

  @Column({ name: 'circle_id', type: 'uuid' })
  circleId: string;

  @Column({ name: 'contribution_id', type: 'uuid' })
  contributionId: string;

  /** NULL when the contribution was recorded. */
  @Column({ name: 'from_status', type: 'varchar', length: 16, nullable: true })
  fromStatus: ContributionStatus | null;

  @Column({ name: 'to_status', type: 'varchar', length: 16 })
  toStatus: ContributionStatus;

  @Column({ type: 'varchar', length: 16 })
  actor: ActorKind;

  @Column({ name: 'actor_user_id', type: 'uuid', nullable: true })
  actorUserId: string | null;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  at: Date;
}
