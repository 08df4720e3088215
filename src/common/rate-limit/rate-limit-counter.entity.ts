import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * One fixed-window counter per throttler key. Kept in PostgreSQL rather than memory so
 * every API instance behind a load balancer shares the same limits (DESIGN: no state in
 * memory that matters). The key is the throttler's SHA-256 of route + tracker, so no IP
 * address or email is stored.
 */
@Entity({ name: 'rate_limit_counters' })
@Index('idx_rate_limit_counters_expires_at', ['expiresAt'])
export class RateLimitCounter {
  @PrimaryColumn({ type: 'varchar', length: 128, primaryKeyConstraintName: 'pk_rate_limit_counters' })
  key: string;

  @Column({ type: 'integer' })
  hits: number;

  /** End of the current counting window. */
  @Column({ name: 'expires_at', type: 'timestamptz' })
  expiresAt: Date;

  /** Set when the limit was exceeded; requests are refused until then. */
  @Column({ name: 'blocked_until', type: 'timestamptz', nullable: true })
  blockedUntil: Date | null;
}
