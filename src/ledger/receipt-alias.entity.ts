import { Check, Column, Entity, ForeignKey, Index, PrimaryColumn } from 'typeorm';
import { Receipt } from './receipt.entity.js';

/**
 * The alias behind a receipt's `alias_digest`, with the salt that makes the digest, for as
 * long as the recipient is not erased (docs/design.md "Privacy"). Written by
 * `ledger_after_post` with the receipt; the only receipt data that is ever deleted:
 * erasure removes the rows of its recipient, and the chain still verifies, since only the
 * digest is hashed. `recipient_id` is internal (for erasure) and never published.
 */
@Entity('receipt_aliases')
@ForeignKey(() => Receipt, ['receiptId'], ['id'], { name: 'fk_receipt_aliases_receipt', onDelete: 'RESTRICT' })
@Index('idx_receipt_aliases_recipient', ['recipientId'])
@Check('ck_receipt_aliases_salt', `octet_length(salt) = 16`)
export class ReceiptAlias {
  @PrimaryColumn('uuid', { name: 'receipt_id', primaryKeyConstraintName: 'pk_receipt_aliases' })
  receiptId: string;

  @Column('uuid', { name: 'circle_id' })
  circleId: string;

  @Column('uuid', { name: 'recipient_id' })
  recipientId: string;

  @Column('varchar', { length: 40 })
  alias: string;

  /** 16 random bytes; once deleted, the digest cannot be tested against guessed aliases. */
  @Column('bytea')
  salt: Buffer;
}
