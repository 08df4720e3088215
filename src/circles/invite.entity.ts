import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { Circle } from './circle.entity.js';
import type { CircleRole } from './circle-role.js';

@Entity({ name: 'invites' })
@Check('ck_invites_role', `role IN ('organizer', 'treasurer', 'donor', 'member')`)
@Index('idx_invites_circle', ['circleId', 'createdAt'])
export class Invite {
  @PrimaryColumn({ type: 'uuid' })
  id: string;

  @Column({ name: 'circle_id', type: 'uuid' })
  circleId: string;

  @Column({ type: 'varchar', length: 16 })
  role: CircleRole;

  /** SHA-256 of the token; the token itself is shown once and never stored. */
  @Index('uq_invites_token_hash', { unique: true })
  @Column({ name: 'token_hash', type: 'char', length: 64 })
  tokenHash: string;

  @Column({ name: 'created_by', type: 'uuid' })
  createdBy: string;

  @Column({ name: 'expires_at', type: 'timestamptz' })
  expiresAt: Date;

  @Column({ name: 'used_at', type: 'timestamptz', nullable: true })
  usedAt: Date | null;

  @Column({ name: 'used_by', type: 'uuid', nullable: true })
  usedBy: string | null;

  @Column({ name: 'revoked_at', type: 'timestamptz', nullable: true })
  revokedAt: Date | null;

  // Millisecond precision: the value round-trips through JS Dates in page cursors.
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt: Date;

  @ManyToOne(() => Circle, { onDelete: 'CASCADE', nullable: false })
  @JoinColumn({ name: 'circle_id', foreignKeyConstraintName: 'fk_invites_circle' })
  circle?: Circle;
}
