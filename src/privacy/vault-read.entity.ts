import { Column, Entity, ForeignKey, Index, PrimaryColumn } from 'typeorm';

/**
 * One read of a recipient's vault: who, when, which recipient — never what was read
 * (docs/design.md "Privacy"). Kept after erasure: it holds no personal data of the
 * recipient, and it is the circle's record of who looked.
 */
@Entity({ name: 'vault_reads' })
@Index('idx_vault_reads_recipient', ['circleId', 'recipientId', 'readAt', 'id'])
export class VaultRead {
  @PrimaryColumn({ type: 'uuid', primaryKeyConstraintName: 'pk_vault_reads' })
  id: string;

  @Column({ name: 'circle_id', type: 'uuid' })
  @ForeignKey('circles', { name: 'fk_vault_reads_circle', onDelete: 'CASCADE' })
  circleId: string;

  @Column({ name: 'recipient_id', type: 'uuid' })
  recipientId: string;

  @Column({ name: 'read_by', type: 'uuid' })
  readBy: string;

  @Column({ name: 'read_at', type: 'timestamptz' })
  readAt: Date;
}
