import { Check, Column, CreateDateColumn, Entity, ForeignKey, Index, PrimaryColumn } from 'typeorm';
import { User } from './user.entity.js';

export type SessionRevokeReason = 'logout' | 'reuse-detected';

/**
 * A login session: one refresh-token family. Access tokens carry its id (`sid`), so
 * revoking the session ends every token of the family at once, access tokens included.
 */
@Entity({ name: 'sessions' })
@Index('idx_sessions_user', ['userId'])
@Check('ck_sessions_revoke_reason', `revoke_reason IN ('logout', 'reuse-detected')`)
export class Session {
  @PrimaryColumn({ type: 'uuid', primaryKeyConstraintName: 'pk_sessions' })
  id: string;

  @Column({ name: 'user_id', type: 'uuid' })
  @ForeignKey(() => User, { name: 'fk_sessions_user', onDelete: 'CASCADE' })
  userId: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Column({ name: 'revoked_at', type: 'timestamptz', nullable: true })
  revokedAt: Date | null;

  @Column({ name: 'revoke_reason', type: 'varchar', length: 32, nullable: true })
  revokeReason: SessionRevokeReason | null;
}
