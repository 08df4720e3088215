import { Check, Column, Entity, ForeignKey, PrimaryColumn, UpdateDateColumn } from 'typeorm';

/**
 * A circle's rules for requests and grants. No row means the defaults: no budget cap, no
 * two-person threshold, no attachments, undecided requests expire after 90 days without activity.
 */
@Entity({ name: 'request_settings' })
@Check('ck_request_settings_budget', `grant_budget_monthly IS NULL OR grant_budget_monthly > 0`)
@Check('ck_request_settings_threshold', `two_person_threshold IS NULL OR two_person_threshold > 0`)
@Check('ck_request_settings_undecided_retention', `undecided_retention_days BETWEEN 14 AND 365`)
export class RequestSettings {
  @PrimaryColumn({ name: 'circle_id', type: 'uuid', primaryKeyConstraintName: 'pk_request_settings' })
  @ForeignKey('circles', { name: 'fk_request_settings_circle', onDelete: 'CASCADE' })
  circleId: string;

  /** Most that grants approved in one calendar month (circle time zone) may add up to, in minor units. */
  @Column({ name: 'grant_budget_monthly', type: 'bigint', nullable: true })
  grantBudgetMonthly: string | null;

  /** A grant of this amount or more needs a second organizer or treasurer to approve, and to send. */
  @Column({ name: 'two_person_threshold', type: 'bigint', nullable: true })
  twoPersonThreshold: string | null;

  @Column({ name: 'attachments_enabled', type: 'boolean', default: false })
  attachmentsEnabled: boolean;

  /** Days an undecided request may go without activity before it expires and its private data is deleted (docs/grants.md, "Expiry"). */
  @Column({ name: 'undecided_retention_days', type: 'integer', default: 90 })
  undecidedRetentionDays: number;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
