import { Check, Column, Entity, ForeignKey, Index, PrimaryGeneratedColumn } from 'typeorm';
import { Pledge } from './pledge.entity.js';
import type { PledgeStatus } from './pledge-status.js';
import { ACTOR_CHECK, USER_ACTOR_CHECK, type ActorKind } from '../common/actor.js';

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
export class PledgeHistory {
  @PrimaryGeneratedColumn('identity', { type: 'bigint', generatedIdentity: 'ALWAYS', primaryKeyConstraintName: 'pk_pledge_history' })
  id: string;

  @Column({ name: 'circle_id', type: 'uuid' })
  circleId: string;

  @Column({ name: 'pledge_id', type: 'uuid' })
  pledgeId: string;

  /** NULL when the pledge was created. */
  @Column({ name: 'from_status', type: 'varchar', length: 16, nullable: true })
  fromStatus: PledgeStatus | null;

  @Column({ name: 'to_status', type: 'varchar', length: 16 })
  toStatus: PledgeStatus;

  /** `provider`: a verified payment event; `job`: the missed-week check. */
  @Column({ type: 'varchar', length: 16 })
  actor: ActorKind;

  @Column({ name: 'actor_user_id', type: 'uuid', nullable: true })
  actorUserId: string | null;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  at: Date;
}
