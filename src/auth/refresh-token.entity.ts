import { Column, CreateDateColumn, Entity, ForeignKey, Index, PrimaryColumn } from 'typeorm';
import { Session } from './session.entity.js';

/** One refresh token of a session's family. Only its SHA-256 is stored, so a database leak yields no usable token. */
@Entity({ name: 'refresh_tokens' })
@Index('uq_refresh_tokens_hash', ['tokenHash'], { unique: true })
@Index('idx_refresh_tokens_session', ['sessionId'])
// For the hourly purge of long-expired tokens (SessionsService.purgeEnded).
@Index('idx_refresh_tokens_expires_at', ['expiresAt'])
export class RefreshToken {
  @PrimaryColumn({ type: 'uuid', primaryKeyConstraintName: 'pk_refresh_tokens' })
  id: string;

  @Column({ name: 'session_id', type: 'uuid' })
  @ForeignKey(() => Session, { name: 'fk_refresh_tokens_session', onDelete: 'CASCADE' })
  sessionId: string;

  /** Hex SHA-256 of the token. */
  @Column({ name: 'token_hash', type: 'char', length: 64 })
  tokenHash: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Column({ name: 'expires_at', type: 'timestamptz' })
  expiresAt: Date;

  /** Set when the token was exchanged; presenting it again means it was stolen (reuse detection). */
  @Column({ name: 'rotated_at', type: 'timestamptz', nullable: true })
  rotatedAt: Date | null;
}
