import { Check, Column, Entity, ForeignKey, Index, PrimaryColumn } from 'typeorm';
import type { ChangeReason, RecipientStatus } from './recipient-status.js';
import { Recipient } from './recipient.entity.js';
import { ACTOR_CHECK, USER_ACTOR_CHECK } from '../common/actor.js';
import { StateHistory } from '../common/state-history.entity.js';

/**
 * Append-only history of recipient status changes (docs/design.md "State machines"): who, when,
 * from, to. A trigger (migration 1790000000400) rejects UPDATE, DELETE and TRUNCATE.
 */
@Entity({ name: 'recipient_status_history' })
@ForeignKey('circles', ['circleId'], ['id'], { name: 'fk_recipient_status_history_circle', onDelete: 'RESTRICT' })
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
export class RecipientStatusChange extends StateHistory<RecipientStatus> {
  @PrimaryColumn({ type: 'uuid', primaryKeyConstraintName: 'pk_recipient_status_history' })
  id: string;

  @Column({ name: 'recipient_id', type: 'uuid' })
  @ForeignKey(() => Recipient, { name: 'fk_recipient_status_history_recipient', onDelete: 'RESTRICT' })
  recipientId: string;

  @Column({ type: 'varchar', length: 32, nullable: true })
  reason: ChangeReason | null;
}
