import { Check, Column, CreateDateColumn, Entity, ForeignKey, Index, PrimaryColumn, UpdateDateColumn } from 'typeorm';

/**
 * One recipient's personal data, each field AES-256-GCM encrypted under the recipient's
 * own data key, which is stored here wrapped by the master key. Deleting the row destroys
 * the key, so nothing of it can be decrypted afterwards (erasure and retention purge).
 */
@Entity({ name: 'vault_entries' })
@Check('ck_vault_entries_key_version', `key_version >= 1`)
@Index('idx_vault_entries_circle', ['circleId'])
@Index('idx_vault_entries_exited', ['exitedAt'])
export class VaultEntry {
  /** The roster's recipient id: a vault row is keyed by the internal id only. */
  @PrimaryColumn({ name: 'recipient_id', type: 'uuid', primaryKeyConstraintName: 'pk_vault_entries' })
  recipientId: string;

  @Column({ name: 'circle_id', type: 'uuid' })
  @ForeignKey('circles', { name: 'fk_vault_entries_circle', onDelete: 'CASCADE' })
  circleId: string;

  /** Format of each sealed field: version byte ‖ 12-byte IV ‖ 16-byte tag ‖ ciphertext. */
  @Column({ type: 'bytea', nullable: true })
  contact: Buffer | null;

  @Column({ name: 'payout_handle', type: 'bytea', nullable: true })
  payoutHandle: Buffer | null;

  @Column({ type: 'bytea', nullable: true })
  note: Buffer | null;

  /** The 256-bit data key, sealed with AES-256-GCM under the master key. */
  @Column({ name: 'wrapped_key', type: 'bytea' })
  wrappedKey: Buffer;

  /** Which master key wrapped the data key (an HMAC fingerprint of it, not the key). */
  @Column({ name: 'key_id', type: 'varchar', length: 32 })
  keyId: string;

  /** Version of the sealing scheme, for a future re-wrap. */
  @Column({ name: 'key_version', type: 'smallint', default: 1 })
  keyVersion: number;

  /**
   * Which DUPLICATE_KEY the duplicate digests of this row were computed under; the
   * re-digest job (docs/trust.md "Rotating `DUPLICATE_KEY`") picks the rows where it differs.
   */
  @Column({ name: 'digest_key_id', type: 'varchar', length: 32, nullable: true })
  digestKeyId: string | null;

  /** Set when the recipient exits; the retention purge counts the circle's retentionDays from it. */
  @Column({ name: 'exited_at', type: 'timestamptz', nullable: true })
  exitedAt: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
