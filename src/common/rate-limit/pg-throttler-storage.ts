import { Injectable, Logger } from '@nestjs/common';
import type { ThrottlerStorage } from '@nestjs/throttler';
import { DataSource } from 'typeorm';

interface ThrottlerStorageRecord {
  totalHits: number;
  timeToExpire: number;
  isBlocked: boolean;
  timeToBlockExpire: number;
}

interface CounterRow {
  hits: number;
  expires_in: number;
  blocked_for: number | null;
}

// One statement, so concurrent requests on several instances count exactly once each:
// the row lock taken by ON CONFLICT serialises them. All SET expressions read the old row
// (`c`), which is why the "still blocked" and "start a new window" conditions repeat.
// $1 key, $2 window ms, $3 limit, $4 block ms.
const INCREMENT = `
INSERT INTO rate_limit_counters AS c (key, hits, expires_at, blocked_until)
VALUES ($1, 1, now() + make_interval(secs => $2 / 1000.0),
        CASE WHEN 1 > $3 THEN now() + make_interval(secs => $4 / 1000.0) END)
ON CONFLICT (key) DO UPDATE SET
  hits = CASE
    WHEN c.blocked_until > now() THEN c.hits
    WHEN c.expires_at <= now() OR c.blocked_until IS NOT NULL THEN 1
    ELSE c.hits + 1 END,
  expires_at = CASE
    WHEN c.blocked_until > now() THEN c.expires_at
    WHEN c.expires_at <= now() OR c.blocked_until IS NOT NULL THEN now() + make_interval(secs => $2 / 1000.0)
    ELSE c.expires_at END,
  blocked_until = CASE
    WHEN c.blocked_until > now() THEN c.blocked_until
    WHEN c.expires_at <= now() OR c.blocked_until IS NOT NULL THEN
      CASE WHEN 1 > $3 THEN now() + make_interval(secs => $4 / 1000.0) END
    WHEN c.hits + 1 > $3 THEN now() + make_interval(secs => $4 / 1000.0)
    ELSE NULL END
RETURNING hits,
  ceil(extract(epoch FROM (expires_at - now())))::int AS expires_in,
  ceil(extract(epoch FROM (blocked_until - now())))::int AS blocked_for`;

const PURGE = `DELETE FROM rate_limit_counters WHERE expires_at < now() AND (blocked_until IS NULL OR blocked_until < now())`;

/** Roughly one increment in this many also deletes finished windows, so the table stays small without a scheduler. */
const PURGE_EVERY = 500;

/**
 * @nestjs/throttler storage on PostgreSQL: a fixed window of `ttl` ms per key; the request
 * that goes over `limit` blocks the key for `blockDuration` ms, after which counting
 * starts again. Times come from the database clock so instances need not agree on theirs.
 */
@Injectable()
export class PgThrottlerStorage implements ThrottlerStorage {
  private readonly logger = new Logger(PgThrottlerStorage.name);

  constructor(private readonly dataSource: DataSource) {}

  async increment(key: string, ttl: number, limit: number, blockDuration: number, _throttlerName: string): Promise<ThrottlerStorageRecord> {
    // A zero block would never block at all; block for the rest of the window instead.
    const block = blockDuration > 0 ? blockDuration : ttl;
    const rows = (await this.dataSource.query(INCREMENT, [key, ttl, limit, block])) as CounterRow[];
    const row = rows[0];
    if (Math.random() * PURGE_EVERY < 1) await this.purgeExpired();
    const isBlocked = row.blocked_for !== null && row.blocked_for > 0;
    return {
      totalHits: row.hits,
      timeToExpire: Math.max(0, row.expires_in),
      isBlocked,
      timeToBlockExpire: isBlocked ? row.blocked_for! : 0,
    };
  }

  /** Deletes counters whose window and block are both over. Safe to call from any instance at any time. */
  async purgeExpired(): Promise<number> {
    try {
      const result = (await this.dataSource.query(PURGE)) as [unknown[], number];
      return result[1] ?? 0;
    } catch (error) {
      // Housekeeping only: a failed purge must not fail the request that triggered it.
      this.logger.warn(`rate-limit purge failed: ${(error as Error).message}`);
      return 0;
    }
  }
}
