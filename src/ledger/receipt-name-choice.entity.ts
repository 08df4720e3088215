import { Column, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';

/**
 * A donor's opt-in to be named on the receipts of their contributions in one circle
 * (otherwise they appear as "a neighbour"). Read by `ledger_after_post` when a contribution
 * is posted; applies to receipts posted while it exists.
 */
@Entity('receipt_name_choices')
export class ReceiptNameChoice {
  @PrimaryColumn('uuid', { name: 'circle_id', primaryKeyConstraintName: 'pk_receipt_name_choices' })
  circleId: string;

  @PrimaryColumn('uuid', { name: 'user_id', primaryKeyConstraintName: 'pk_receipt_name_choices' })
  userId: string;

  @Column('varchar', { length: 40 })
  name: string;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
