import { Check, Column, CreateDateColumn, Entity, ForeignKey, Index, PrimaryColumn } from 'typeorm';
import { VaultEntry } from './vault-entry.entity.js';

/**
 * A file a requester attached (a bill, a letter), sealed with AES-256-GCM under its own random
 * key, which is stored here wrapped by the master key. It belongs to a vault row: erasing or
 * purging that row deletes its files with it (ON DELETE CASCADE). Only organizers read it, and
 * every read is logged in vault_reads. Its content never leaves this table but through that read.
 */
@Entity({ name: 'vault_attachments' })
@ForeignKey(() => VaultEntry, ['subjectId'], ['recipientId'], { name: 'fk_vault_attachments_entry', onDelete: 'CASCADE' })
@Index('idx_vault_attachments_subject', ['subjectId', 'createdAt'])
@Check('ck_vault_attachments_type', `content_type IN ('image/jpeg', 'image/png', 'application/pdf')`)
@Check('ck_vault_attachments_size', `size_bytes BETWEEN 1 AND 5242880`)
export class VaultAttachment {
  @PrimaryColumn({ type: 'uuid', primaryKeyConstraintName: 'pk_vault_attachments' })
  id: string;

  @Column({ name: 'circle_id', type: 'uuid' })
  circleId: string;

  /** The vault row's id (a request's subject id or a recipient id). */
  @Column({ name: 'subject_id', type: 'uuid' })
  subjectId: string;

  /** Found from the file's first bytes, never from what the uploader claimed. */
  @Column({ name: 'content_type', type: 'varchar', length: 32 })
  contentType: string;

  @Column({ name: 'size_bytes', type: 'int' })
  sizeBytes: number;

  /** Version byte ‖ 12-byte IV ‖ 16-byte tag ‖ ciphertext, under this file's own key. */
  @Column({ type: 'bytea' })
  sealed: Buffer;

  @Column({ name: 'wrapped_key', type: 'bytea' })
  wrappedKey: Buffer;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
