import type { EntityManager } from 'typeorm';
import { IDEMPOTENCY_RETENTION_HOURS } from './idempotency-request.js';

export interface StoredResponse {
  requestHash: string;
  status: number;
  body: string;
  location: string | null;
}

/** Seed of the hash that turns (principal, key) into an advisory-lock id; any fixed value works. */
const LOCK_SEED = 7253470010;

/**
 * The SQL behind the Idempotency-Key mechanism. Every method runs on the manager of the
 * request's transaction, so the key is written with the effect or not at all.
 */
export class IdempotencyStore {
  constructor(private readonly manager: EntityManager) {}

  /**
   * Takes the transaction-scoped lock of (principal, key) and reads the stored response, in
   * one round trip. `locked` is false while another request with the key is in flight. The
   * read's snapshot can predate a first request that commits just then; `save` then finds
   * its row and the transaction rolls back, so the effect still happens once.
   */
  async claim(principalId: string, key: string): Promise<{ locked: boolean; stored?: StoredResponse }> {
    const rows: { locked: boolean; request_hash: string | null; response_status: number; response_body: string; response_location: string | null }[] = await this.manager.query(
      `SELECT pg_try_advisory_xact_lock(hashtextextended($1::text || ':' || $2::text, $3::bigint)) AS locked,
              k.request_hash, k.response_status, k.response_body, k.response_location
         FROM (SELECT 1) AS one
         LEFT JOIN idempotency_keys k ON k.principal_id = $1 AND k.key = $2 AND k.expires_at > now()`,
      [principalId, key, LOCK_SEED],
    );
    const row = rows[0];
    if (!row.locked || row.request_hash === null) return { locked: row.locked };
    return { locked: true, stored: { requestHash: row.request_hash, status: row.response_status, body: row.response_body, location: row.response_location } };
  }

  /** Records the response. An expired row of the same key is replaced; a live one never is. */
  async save(principalId: string, key: string, response: StoredResponse): Promise<boolean> {
    const rows: unknown[] = await this.manager.query(
      `INSERT INTO idempotency_keys (principal_id, key, request_hash, response_status, response_body, response_location, expires_at)
       VALUES ($1, $2, $3, $4, $5, $6, now() + make_interval(hours => $7))
       ON CONFLICT (principal_id, key) DO UPDATE
          SET request_hash = EXCLUDED.request_hash, response_status = EXCLUDED.response_status,
              response_body = EXCLUDED.response_body, response_location = EXCLUDED.response_location,
              created_at = now(), expires_at = EXCLUDED.expires_at
        WHERE idempotency_keys.expires_at <= now()
       RETURNING 1`,
      [principalId, key, response.requestHash, response.status, response.body, response.location, IDEMPOTENCY_RETENTION_HOURS],
    );
    return rows.length === 1;
  }
}

/** Deletes expired keys in batches of `batch`; for a scheduled job. Returns how many went. */
export async function purgeExpiredIdempotencyKeys(manager: EntityManager, batch = 10_000): Promise<number> {
  const rows: { purged: number }[] = await manager.query('SELECT idempotency_purge($1) AS purged', [batch]);
  return rows[0].purged;
}
