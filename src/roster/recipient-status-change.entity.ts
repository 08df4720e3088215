import { Check, Column, Entity, ForeignKey, Index, PrimaryColumn } from 'typeorm';
import type { ChangeReason, RecipientStatus } from './recipient-status.js';
import { Recipient } from './recipient.entity.js';
import { ACTOR_CHECK, USER_ACTOR_CHECK, type ActorKind } from '../common/actor.js';

/**
 * Append-only history of recipient status changes (docs/design.md "State machines"): who, when,
 * from, to. A trigger (migration 1790000000400) rejects UPDATE, DELETE and TRUNCATE.
 */
@Entity({ name: 'recipient_status_history' })
@Check('ck_recipient_status_history_to', `to_status IN ('waitlisted', 'offered', 'active', 'paused', 'exited')`)
@Check('ck_recipient_status_history_from', `from_status IS NULL OR from_status IN ('waitlisted', 'offered', 'active', 'paused', 'exited')`)
@Check(
  'ck_recipient_status_history_reason',
  `reason IS NULL OR reason IN ('employed', 'moved', 'self_withdrew', 'no_response', 'other', 'added', 'offer_declined', 'offer_expired', 'slot_freed', 'cycle_activation')`,
)
@Index('idx_recipient_status_history_recipient', ['recipientId', 'at'])
@Index('idx_recipient_status_history_circle', ['circleId', 'at'])
@Check('ck_recipient_status_history_actor', ACTOR_CHECK)
@Check('ck_recipient_status_history_user_actor', USER_ACTOR_CHECK)
export class RecipientStatusChange {
  @PrimaryColumn({ type: 'uuid', primaryKeyConstraintName: 'pk_recipient_status_history' })
  id: string;

  @Column({ name: 'recipient_id', type: 'uuid' })
  @ForeignKey(() => Recipient, { name: 'fk_recipient_status_history_recipient', onDelete: 'RESTRICT' })
  recipientId: string;

  @Column({ name: 'circle_id', type: 'uuid' })
  @ForeignKey('circles', { name: 'fk_recipient_status_history_circle', onDelete: 'RESTRICT' })
  circleId: string;

  /** Null for the row that records the recipient being added. */
  @Column({ name: 'from_status', type: 'varchar', length: 16, nullable: true })
  fromStatus: RecipientStatus | null;

  @Column({ name: 'to_status', type: 'varchar', length: 16 })
  toStatus: RecipientStatus;

  /** Who made the change (src/common/actor.ts): a user, the person's own link, or the offer expiry sweep. */
  @Column({ type: 'varchar', length: 16 })
  actor: ActorKind;

  /** Set exactly when `actor` is a user. */
  @Column({ name: 'actor_user_id', type: 'uuid', nullable: true })
  actorUserId: string | null;

  @Column({ type: 'timestamptz' })
  at: Date;

  @Column({ type: 'varchar', length: 32, nullable: true })
  reason: ChangeReason | null;
}
