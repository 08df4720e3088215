import { Check, Column, CreateDateColumn, Entity, ForeignKey, Index, PrimaryColumn } from 'typeorm';

/**
 * An API key of a circle: acts with `role` in that circle only, like a member's session
 * (CircleAccess reads its role beside memberships). Never organizer, so a key cannot manage
 * the circle, its keys or webhooks, nor read the vault. Only the key's SHA-256 is stored;
 * `prefix` (its first 12 characters) lets organizers tell keys apart.
 */
@Entity('api_keys')
@Index('uq_api_keys_secret_hash', ['secretHash'], { unique: true })
@Index('idx_api_keys_circle', ['circleId', 'createdAt', 'id'])
@Check('ck_api_keys_role', `role IN ('treasurer', 'donor', 'member')`)
@Check('ck_api_keys_secret_hash', `octet_length(secret_hash) = 32`)
export class ApiKey {
  @PrimaryColumn('uuid', { primaryKeyConstraintName: 'pk_api_keys' })
  id: string;

  @Column('uuid', { name: 'circle_id' })
  @ForeignKey('circles', { name: 'fk_api_keys_circle', onDelete: 'RESTRICT' })
  circleId: string;

  @Column('varchar', { length: 100 })
  name: string;

  @Column('varchar', { length: 16 })
  role: 'treasurer' | 'donor' | 'member';

  @Column('varchar', { length: 16 })
  prefix: string;

  @Column('bytea', { name: 'secret_hash' })
  secretHash: Buffer;

  @Column('uuid', { name: 'created_by' })
  createdBy: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Column({ name: 'last_used_at', type: 'timestamptz', nullable: true })
  lastUsedAt: Date | null;

  @Column({ name: 'revoked_at', type: 'timestamptz', nullable: true })
  revokedAt: Date | null;
}
