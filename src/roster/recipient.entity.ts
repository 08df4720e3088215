import { Check, Column, CreateDateColumn, Entity, ForeignKey, Generated, Index, PrimaryColumn } from 'typeorm';
import type { ExitReason, RecipientStatus } from './recipient-status.js';

/**
 * A person on a circle's roster, known only by an organizer-chosen alias. Contact details
 * and payout handle live in the vault (privacy module), never here (invariant 9).
 * Status changes only through RecipientTransitions, one guarded UPDATE each.
 */
@Entity({ name: 'recipients' })
@Check('ck_recipients_status', `status IN ('waitlisted', 'offered', 'active', 'paused', 'exited')`)
@Check('ck_recipients_exit_reason', `exit_reason IS NULL OR exit_reason IN ('employed', 'moved', 'self_withdrew', 'no_response', 'other')`)
@Check('ck_recipients_exited', `(status = 'exited') = (exit_reason IS NOT NULL AND exited_at IS NOT NULL)`)
@Check('ck_recipients_offered', `(status = 'offered') = (offered_until IS NOT NULL)`)
@Check('ck_recipients_alias', `char_length(alias) BETWEEN 1 AND 40`)
@Index('idx_recipients_circle_status_queue', ['circleId', 'status', 'queueKey'])
@Index('idx_recipients_circle_created', ['circleId', 'createdAt', 'id'])
@Index('idx_recipients_status_offered_until', ['status', 'offeredUntil'])
export class Recipient {
  @PrimaryColumn({ type: 'uuid', primaryKeyConstraintName: 'pk_recipients' })
  id: string;

  @Column({ name: 'circle_id', type: 'uuid' })
  @ForeignKey('circles', { name: 'fk_recipients_circle', onDelete: 'RESTRICT' })
  circleId: string;

  @Column({ type: 'varchar', length: 40 })
  alias: string;

  @Column({ type: 'varchar', length: 16 })
  status: RecipientStatus;

  /**
   * Waitlist order: drawn from a sequence on arrival (first come, first served); a reorder
   * permutes the keys of the waitlisted rows. Kept while offered, so a declined or expired
   * offer returns the person to their place. bigint arrives as a string.
   */
  @Column({ name: 'queue_key', type: 'bigint' })
  @Generated('increment')
  queueKey: string;

  @Column({ name: 'waitlisted_at', type: 'timestamptz', nullable: true })
  waitlistedAt: Date | null;

  @Column({ name: 'offered_at', type: 'timestamptz', nullable: true })
  offeredAt: Date | null;

  @Column({ name: 'offered_until', type: 'timestamptz', nullable: true })
  offeredUntil: Date | null;

  /** First time the recipient became active; kept through pauses for "how long helped". */
  @Column({ name: 'activated_at', type: 'timestamptz', nullable: true })
  activatedAt: Date | null;

  @Column({ name: 'paused_at', type: 'timestamptz', nullable: true })
  pausedAt: Date | null;

  @Column({ name: 'exited_at', type: 'timestamptz', nullable: true })
  exitedAt: Date | null;

  @Column({ name: 'exit_reason', type: 'varchar', length: 16, nullable: true })
  exitReason: ExitReason | null;

  @Column({ name: 'status_changed_at', type: 'timestamptz' })
  statusChangedAt: Date;

  /** Set when the vault was erased and the alias replaced by a neutral code. */
  @Column({ name: 'erased_at', type: 'timestamptz', nullable: true })
  erasedAt: Date | null;

  /** Millisecond precision, so the list cursor (a JS Date) names a row exactly. */
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt: Date;
}
