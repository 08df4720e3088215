import { Check, Column, Entity, ForeignKey, Index, PrimaryGeneratedColumn } from 'typeorm';
import type { PayoutHistoryEvent, PayoutStatus } from './payout-status.js';
import { Payout } from './payout.entity.js';
import { ACTOR_CHECK, USER_ACTOR_CHECK, type ActorKind } from '../common/actor.js';

/**
 * Every state a payout entered, with who and when (docs/design.md "State machines"), and every
 * acknowledgement link issued for it. Append-only: a trigger (migration 1790000000500)
 * refuses UPDATE, DELETE and TRUNCATE.
 */
@Entity({ name: 'payout_history' })
@ForeignKey(() => Payout, ['payoutId', 'circleId'], ['id', 'circleId'], { name: 'fk_payout_history_payout', onDelete: 'RESTRICT' })
@Index('idx_payout_history_payout', ['payoutId', 'id'])
@Check('ck_payout_history_to_status', `to_status IN ('scheduled', 'approved', 'sent', 'acknowledged', 'returned', 'cancelled')`)
// A status change changes the status; a link is issued for a sent payout and leaves it sent.
@Check(
  'ck_payout_history_event',
  `(event = 'status_change' AND from_status IS DISTINCT FROM to_status) OR (event = 'acknowledgement_link_issued' AND from_status = 'sent' AND to_status = 'sent')`,
)
@Check('ck_payout_history_actor', ACTOR_CHECK)
@Check('ck_payout_history_user_actor', USER_ACTOR_CHECK)
export class PayoutHistory {
  @PrimaryGeneratedColumn('identity', { type: 'bigint', generatedIdentity: 'ALWAYS' })
  id: string;

  @Column({ name: 'circle_id', type: 'uuid' })
  circleId: string;

  @Column({ name: 'payout_id', type: 'uuid' })
  payoutId: string;

  @Column({ type: 'varchar', length: 32, default: 'status_change' })
  event: PayoutHistoryEvent;

  /** NULL when the payout was created. */
  @Column({ name: 'from_status', type: 'varchar', length: 16, nullable: true })
  fromStatus: PayoutStatus | null;

  @Column({ name: 'to_status', type: 'varchar', length: 16 })
  toStatus: PayoutStatus;

  /** Who made the change (src/common/actor.ts); actorUserId is set exactly when it is a user. */
  @Column({ type: 'varchar', length: 16 })
  actor: ActorKind;

  /** users.id of who did it; NULL for the payout-day job and for the recipient's acknowledgement. */
  @Column({ name: 'actor_user_id', type: 'uuid', nullable: true })
  actorUserId: string | null;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  at: Date;
}
