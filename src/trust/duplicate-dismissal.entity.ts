import { Column, CreateDateColumn, Entity, ForeignKey, Index, PrimaryColumn } from 'typeorm';
import { VaultEntry } from '../privacy/vault-entry.entity.js';

/**
 * An organizer's "not the same person" for one match of one of their circle's subjects: the
 * pair is not counted again. Ids only; deleted with either subject's vault row, and when
 * either circle leaves the network for a pair across circles.
 */
@Entity({ name: 'duplicate_dismissals' })
@ForeignKey(() => VaultEntry, ['subjectId'], ['recipientId'], { name: 'fk_duplicate_dismissals_subject', onDelete: 'CASCADE' })
@ForeignKey(() => VaultEntry, ['otherSubjectId'], ['recipientId'], { name: 'fk_duplicate_dismissals_other', onDelete: 'CASCADE' })
@Index('idx_duplicate_dismissals_other', ['otherSubjectId'])
@Index('idx_duplicate_dismissals_circles', ['circleId', 'otherCircleId'])
export class DuplicateDismissal {
  @PrimaryColumn({ name: 'subject_id', type: 'uuid', primaryKeyConstraintName: 'pk_duplicate_dismissals' })
  subjectId: string;

  @PrimaryColumn({ name: 'other_subject_id', type: 'uuid', primaryKeyConstraintName: 'pk_duplicate_dismissals' })
  otherSubjectId: string;

  /** The circle whose organizer decided (the subject's). */
  @Column({ name: 'circle_id', type: 'uuid' })
  @ForeignKey('circles', { name: 'fk_duplicate_dismissals_circle', onDelete: 'CASCADE' })
  circleId: string;

  @Column({ name: 'other_circle_id', type: 'uuid' })
  otherCircleId: string;

  @Column({ name: 'dismissed_by', type: 'uuid' })
  dismissedBy: string;

  @CreateDateColumn({ name: 'dismissed_at', type: 'timestamptz' })
  dismissedAt: Date;
}
