import { Check, Column, Entity, ForeignKey, Index, PrimaryColumn } from 'typeorm';
import type { IdentityKind } from './identity-normalize.js';
import { VaultEntry } from './vault-entry.entity.js';

/**
 * A keyed digest (HMAC-SHA-256 under DUPLICATE_KEY) of one normalized payout handle, phone or
 * email of a vault subject, for the duplicate checks (docs/trust.md). Never returned by any
 * route. Deleted with the vault row it was computed from (the foreign key cascades), so every
 * erasure, decision discard and retention purge removes it in the same statement.
 */
@Entity({ name: 'duplicate_digests' })
@ForeignKey(() => VaultEntry, ['subjectId'], ['recipientId'], { name: 'fk_duplicate_digests_vault', onDelete: 'CASCADE' })
@Index('idx_duplicate_digests_match', ['keyId', 'kind', 'digest'])
@Index('idx_duplicate_digests_circle', ['circleId'])
@Check('ck_duplicate_digests_kind', `kind IN ('handle', 'phone', 'email')`)
@Check('ck_duplicate_digests_digest', `octet_length(digest) = 32`)
export class DuplicateDigest {
  @PrimaryColumn({ name: 'subject_id', type: 'uuid', primaryKeyConstraintName: 'pk_duplicate_digests' })
  subjectId: string;

  @PrimaryColumn({ type: 'varchar', length: 8, primaryKeyConstraintName: 'pk_duplicate_digests' })
  kind: IdentityKind;

  @PrimaryColumn({ type: 'bytea', primaryKeyConstraintName: 'pk_duplicate_digests' })
  digest: Buffer;

  @Column({ name: 'circle_id', type: 'uuid' })
  @ForeignKey('circles', { name: 'fk_duplicate_digests_circle', onDelete: 'CASCADE' })
  circleId: string;

  /** Which DUPLICATE_KEY made it (an HMAC fingerprint of the key); only digests under one key are compared. */
  @Column({ name: 'key_id', type: 'varchar', length: 32 })
  keyId: string;
}
