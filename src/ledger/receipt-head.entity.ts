import { Check, Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * The head of a circle's receipt chain: last sequence number and hash. Every posting locks
 * this row as its transfer is inserted (trigger `ledger_transfers_lock_receipt_head`), so
 * the postings of one circle take their sequence numbers one at a time and the chain has
 * no gaps. No foreign key to circles, like ledger_transfers: a posting for an unknown
 * circle fails on its accounts (AR006).
 */
@Entity('receipt_heads')
@Check('ck_receipt_heads_seq', `seq >= 0`)
@Check('ck_receipt_heads_hash', `octet_length(hash) = 32`)
export class ReceiptHead {
  @PrimaryColumn('uuid', { name: 'circle_id', primaryKeyConstraintName: 'pk_receipt_heads' })
  circleId: string;

  /** 0 before the first receipt. */
  @Column('bigint')
  seq: string;

  /** 32 zero bytes before the first receipt. */
  @Column('bytea')
  hash: Buffer;
}
