import { Check, Column, CreateDateColumn, Entity, ForeignKey, PrimaryColumn, Unique } from 'typeorm';
import { Network } from './network.entity.js';

/**
 * A single-use code through which another circle joins a network. Only the code's SHA-256
 * is stored (like intake links). Once used it records by which circle, and the database
 * refuses to change or clear that (migrations/1790000001500-Trust.ts, AR150).
 */
@Entity({ name: 'network_join_codes' })
@Unique('uq_network_join_codes_hash', ['codeHash'])
@ForeignKey(() => Network, ['networkId'], ['id'], { name: 'fk_network_join_codes_network', onDelete: 'CASCADE' })
@Check('ck_network_join_codes_used', `(used_at IS NULL) = (used_by_circle_id IS NULL)`)
@Check('ck_network_join_codes_expiry', `expires_at > created_at`)
export class NetworkJoinCode {
  @PrimaryColumn({ type: 'uuid', primaryKeyConstraintName: 'pk_network_join_codes' })
  id: string;

  @Column({ name: 'network_id', type: 'uuid' })
  networkId: string;

  @Column({ name: 'code_hash', type: 'char', length: 64 })
  codeHash: string;

  /** The member circle whose organizer made the code. */
  @Column({ name: 'created_by_circle_id', type: 'uuid' })
  createdByCircleId: string;

  @Column({ name: 'created_by', type: 'uuid' })
  createdBy: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Column({ name: 'expires_at', type: 'timestamptz' })
  expiresAt: Date;

  @Column({ name: 'used_at', type: 'timestamptz', nullable: true })
  usedAt: Date | null;

  @Column({ name: 'used_by_circle_id', type: 'uuid', nullable: true })
  usedByCircleId: string | null;
}
