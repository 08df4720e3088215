import { Check, Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

export type ReceiptVisibility = 'members' | 'public';

@Entity({ name: 'circles' })
@Check('ck_circles_receipt_visibility', `receipt_visibility IN ('members', 'public')`)
@Check('ck_circles_currency_exponent', `currency_exponent BETWEEN 0 AND 4`)
@Check('ck_circles_retention_days', `retention_days BETWEEN 1 AND 3650`)
@Check('ck_circles_max_single_amount', `max_single_amount IS NULL OR max_single_amount BETWEEN 1 AND 9007199254740991`)
export class Circle {
  @PrimaryColumn({ type: 'uuid' })
  id: string;

  @Column({ type: 'varchar', length: 100 })
  name: string;

  @Column({ type: 'char', length: 3 })
  currency: string;

  /** ISO 4217 minor-unit exponent, recorded when the circle is created. */
  @Column({ name: 'currency_exponent', type: 'smallint' })
  currencyExponent: number;

  @Column({ type: 'varchar', length: 64 })
  timezone: string;

  /** Days after a recipient exits before their vault row is purged. */
  @Column({ name: 'retention_days', type: 'integer', default: 30 })
  retentionDays: number;

  @Column({ name: 'show_recipient_aliases', type: 'boolean', default: false })
  showRecipientAliases: boolean;

  @Column({ name: 'receipt_visibility', type: 'varchar', length: 16, default: 'members' })
  receiptVisibility: ReceiptVisibility;

  @Column({ name: 'require_second_approval', type: 'boolean', default: false })
  requireSecondApproval: boolean;

  /**
   * The largest single adjustment or contribution, in minor units; null: the default
   * (circle_single_amount_limit, migrations/1790000001800-PostingInOneWrite.ts). Bigint arrives as a string.
   */
  @Column({ name: 'max_single_amount', type: 'bigint', nullable: true })
  maxSingleAmount: string | null;

  /** Bumped by every settings change; the ETag of the circle. */
  @Column({ type: 'integer', default: 1 })
  version: number;

  // Millisecond precision: the value round-trips through JS Dates in page cursors.
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt: Date;
}
