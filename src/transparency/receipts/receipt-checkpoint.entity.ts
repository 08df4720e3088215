import { Check, Column, Entity, ForeignKey, Index, PrimaryColumn } from 'typeorm';

/**
 * A signed statement of a circle's receipt chain head (docs/design.md "Transparency"): the only
 * table the transparency module writes. Append-only (a trigger refuses UPDATE and DELETE);
 * a changed row would no longer verify anyway.
 */
@Entity('receipt_checkpoints')
@Index('idx_receipt_checkpoints_circle_signed', ['circleId', 'signedAt', 'id'])
@Index('idx_receipt_checkpoints_circle_seq', ['circleId', 'seq'])
@Check('ck_receipt_checkpoints_seq', `seq >= 1`)
@Check('ck_receipt_checkpoints_hash', `octet_length(hash) = 32`)
@Check('ck_receipt_checkpoints_signature', `octet_length(signature) = 64`)
export class ReceiptCheckpoint {
  @PrimaryColumn('uuid', { primaryKeyConstraintName: 'pk_receipt_checkpoints' })
  id: string;

  @Column('uuid', { name: 'circle_id' })
  @ForeignKey('circles', { name: 'fk_receipt_checkpoints_circle', onDelete: 'RESTRICT' })
  circleId: string;

  @Column('bigint')
  seq: string;

  @Column('bytea')
  hash: Buffer;

  // Milliseconds, exactly as signed (the statement carries the ISO text of a JS Date).
  @Column({ name: 'signed_at', type: 'timestamptz', precision: 3 })
  signedAt: Date;

  @Column('varchar', { name: 'key_id', length: 64 })
  keyId: string;

  /** Ed25519 over the canonical statement (checkpoint-message.ts). */
  @Column('bytea')
  signature: Buffer;
}
