import { Check, Column, CreateDateColumn, Entity, ForeignKey, Index, PrimaryColumn } from 'typeorm';
import { GrantRequest } from './request.entity.js';

/**
 * A person's private status link: lets someone without an account act on their own record —
 * a requester on their request, a recipient on their place on the roster. Only the token's
 * SHA-256 is stored (the token is shown once); a revoked link answers 404 like an unknown one.
 * At most one live link per request and per recipient: issuing a new one revokes the old.
 */
@Entity({ name: 'person_links' })
@Index('uq_person_links_token_hash', ['tokenHash'], { unique: true })
@Index('uq_person_links_live_request', ['requestId'], { unique: true, where: 'revoked_at IS NULL AND request_id IS NOT NULL' })
@Index('uq_person_links_live_recipient', ['recipientId'], { unique: true, where: 'revoked_at IS NULL AND recipient_id IS NOT NULL' })
@ForeignKey(() => GrantRequest, ['requestId', 'circleId'], ['id', 'circleId'], { name: 'fk_person_links_request', onDelete: 'RESTRICT' })
@Check('ck_person_links_target', `(request_id IS NULL) <> (recipient_id IS NULL)`)
@Check('ck_person_links_token_hash', `token_hash ~ '^[0-9a-f]{64}$'`)
export class PersonLink {
  @PrimaryColumn({ type: 'uuid', primaryKeyConstraintName: 'pk_person_links' })
  id: string;

  @Column({ name: 'circle_id', type: 'uuid' })
  @ForeignKey('circles', { name: 'fk_person_links_circle', onDelete: 'CASCADE' })
  circleId: string;

  @Column({ name: 'token_hash', type: 'char', length: 64 })
  tokenHash: string;

  @Column({ name: 'request_id', type: 'uuid', nullable: true })
  requestId: string | null;

  @Column({ name: 'recipient_id', type: 'uuid', nullable: true })
  @ForeignKey('recipients', { name: 'fk_person_links_recipient', onDelete: 'RESTRICT' })
  recipientId: string | null;

  /** The organizer who issued it; null when it was issued with a request made through an intake link. */
  @Column({ name: 'created_by', type: 'uuid', nullable: true })
  createdBy: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Column({ name: 'revoked_at', type: 'timestamptz', nullable: true })
  revokedAt: Date | null;
}
