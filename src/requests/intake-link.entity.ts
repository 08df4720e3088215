import { Check, Column, CreateDateColumn, Entity, ForeignKey, Index, PrimaryColumn, Unique } from 'typeorm';

/**
 * A circle's intake link: the secret URL through which a neighbour without an account asks
 * for help. Only the token's SHA-256 is stored; rotating replaces it, closing ends it (a
 * closed link answers 404 like an unknown one).
 */
@Entity({ name: 'intake_links' })
@Unique('uq_intake_links_id_circle', ['id', 'circleId'])
@Index('uq_intake_links_token_hash', ['tokenHash'], { unique: true })
@Index('idx_intake_links_circle', ['circleId', 'createdAt'])
@Check('ck_intake_links_max_open', `max_open_requests IS NULL OR max_open_requests BETWEEN 1 AND 10000`)
@Check('ck_intake_links_token_hash', `token_hash ~ '^[0-9a-f]{64}$'`)
export class IntakeLink {
  @PrimaryColumn({ type: 'uuid', primaryKeyConstraintName: 'pk_intake_links' })
  id: string;

  @Column({ name: 'circle_id', type: 'uuid' })
  @ForeignKey('circles', { name: 'fk_intake_links_circle', onDelete: 'CASCADE' })
  circleId: string;

  @Column({ name: 'token_hash', type: 'char', length: 64 })
  tokenHash: string;

  /** At most this many of the link's requests may be open (submitted or in review) at once; null for no cap. */
  @Column({ name: 'max_open_requests', type: 'int', nullable: true })
  maxOpenRequests: number | null;

  @Column({ name: 'created_by', type: 'uuid' })
  createdBy: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Column({ name: 'rotated_at', type: 'timestamptz', nullable: true })
  rotatedAt: Date | null;

  @Column({ name: 'closed_at', type: 'timestamptz', nullable: true })
  closedAt: Date | null;
}
