import { Check, Column, Entity, ForeignKey, Index, PrimaryColumn } from 'typeorm';
import { Receipt } from './receipt.entity.js';

/**
 * The name behind a receipt's `donor_digest`, with its salt: what a donor who chose to be
 * named appears as, for as long as they keep that choice. Written by `ledger_after_post`
 * with the receipt; deleted when the donor withdraws the name or deletes their account
 * (the digest stays, so the chain still verifies). `user_id` is internal, never published.
 */
@Entity('receipt_donor_names')
@ForeignKey(() => Receipt, ['receiptId'], ['id'], { name: 'fk_receipt_donor_names_receipt', onDelete: 'RESTRICT' })
@Index('idx_receipt_donor_names_user', ['userId', 'circleId'])
@Check('ck_receipt_donor_names_salt', `octet_length(salt) = 16`)
export class ReceiptDonorName {
  @PrimaryColumn('uuid', { name: 'receipt_id', primaryKeyConstraintName: 'pk_receipt_donor_names' })
  receiptId: string;

  @Column('uuid', { name: 'circle_id' })
  circleId: string;

  @Column('uuid', { name: 'user_id' })
  userId: string;

  @Column('varchar', { length: 40 })
  name: string;

  @Column('bytea')
  salt: Buffer;
}
