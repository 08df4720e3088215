import { Check, Column, CreateDateColumn, Entity, ForeignKey, Index, PrimaryColumn } from 'typeorm';
import type { AlertSeverity } from './alert-severity.js';

/** An organizer's warning to the circle's members ("someone is impersonating our Cash App"), until it expires (docs/trust.md). */
@Entity({ name: 'circle_alerts' })
@Index('idx_circle_alerts_circle_expiry', ['circleId', 'expiresAt'])
@Check('ck_circle_alerts_severity', `severity IN ('info', 'warning', 'critical')`)
@Check('ck_circle_alerts_text', `char_length(text) BETWEEN 1 AND 500`)
@Check('ck_circle_alerts_expiry', `expires_at > posted_at`)
export class CircleAlert {
  @PrimaryColumn({ type: 'uuid', primaryKeyConstraintName: 'pk_circle_alerts' })
  id: string;

  @Column({ name: 'circle_id', type: 'uuid' })
  @ForeignKey('circles', { name: 'fk_circle_alerts_circle', onDelete: 'CASCADE' })
  circleId: string;

  @Column({ type: 'varchar', length: 8 })
  severity: AlertSeverity;

  @Column({ type: 'varchar', length: 500 })
  text: string;

  /** The organizer allowed links in the text; without it a text with a URL or domain is refused. */
  @Column({ name: 'links_allowed', type: 'boolean', default: false })
  linksAllowed: boolean;

  @Column({ name: 'posted_by', type: 'uuid' })
  postedBy: string;

  @CreateDateColumn({ name: 'posted_at', type: 'timestamptz' })
  postedAt: Date;

  @Column({ name: 'expires_at', type: 'timestamptz' })
  expiresAt: Date;
}
