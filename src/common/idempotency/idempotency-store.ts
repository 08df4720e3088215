import { QueryFailedError, type EntityManager } from 'typeorm';
import { prepared } from '../../database/prepared-statements.js';
import { DomainError } from '../errors/domain-error.js';
import type { TransactionHost } from '../../database/transaction-host.js';
import { IDEMPOTENCY_RETENTION_HOURS } from './idempotency-request.js';

export interface StoredResponse {
  requestHash: string;
  status: number;
  body: string;
  location: string | null;
}

/** Seed of the hash that turns (principal, key) into an advisory-lock id; any fixed value works. */
const LOCK_SEED = 7253470010;

// Both run on every idempotent request: prepared once per connection (src/database/prepared-statements.ts).
// The claim also deletes an expired row of the key (only when it got the lock), so the record
// can be a plain INSERT, sent with COMMIT, whose only possible conflict is a live row.
const CLAIM = prepared(
  'arvut_idempotency_claim',
  `WITH claim AS MATERIALIZED (
     SELECT pg_try_advisory_xact_lock(hashtextextended($1::uuid::text || ':' || $2::text, $3::bigint)) AS locked
   ), expired AS (
     DELETE FROM idempotency_keys k USING claim
      WHERE claim.locked AND k.principal_id = $1 AND k.key = $2 AND k.expires_at <= now()
   )
   SELECT claim.locked, k.request_hash, k.response_status, k.response_body, k.response_location
     FROM claim
     LEFT JOIN idempotency_keys k ON k.principal_id = $1 AND k.key = $2 AND k.expires_at > now()`,
);
const RECORD = prepared(
  'arvut_idempotency_record',
  `INSERT INTO idempotency_keys (principal_id, key, request_hash, response_status, response_body, response_location, expires_at)
   VALUES ($1, $2, $3, $4, $5, $6, now() + make_interval(hours => $7))`,
);

/**
 * The SQL behind the Idempotency-Key mechanism. Every method runs in the request's
 * transaction, so the key is written with the effect or not at all.
 */
export class IdempotencyStore {
  constructor(private readonly tx: TransactionHost) {}

  /**
   * Takes the transaction-scoped lock of (principal, key) and reads the stored response, in
   * one round trip; with the lock, an expired row of the key is deleted. `locked` is false
   * while another request with the key is in flight. The read's snapshot can predate a
   * first request that commits just then; `recordAndCommit` then collides with its row and
   * the transaction rolls back, so the effect still happens once.
   */
  async claim(principalId: string, key: string): Promise<{ locked: boolean; stored?: StoredResponse }> {
    const rows: { locked: boolean; request_hash: string | null; response_status: number; response_body: string; response_location: string | null }[] = await this.tx.manager.query(
      CLAIM,
      [principalId, key, LOCK_SEED],
    );
    const row = rows[0];
    if (!row.locked || row.request_hash === null) return { locked: row.locked };
    return { locked: true, stored: { requestHash: row.request_hash, status: row.response_status, body: row.response_body, location: row.response_location } };
  }

  /**
   * Records the response as the transaction's last statement, sent together with COMMIT
   * (TransactionHost.queryAndCommit). False when a live row of the key exists: then nothing
   * was committed, the request's effect included.
   */
  async recordAndCommit(principalId: string, key: string, response: StoredResponse): Promise<boolean> {
    try {
      await this.tx.queryAndCommit(RECORD, [principalId, key, response.requestHash, response.status, response.body, response.location, IDEMPOTENCY_RETENTION_HOURS]);
      return true;
    } catch (error) {
      const driver = error instanceof QueryFailedError ? (error.driverError as { code?: string; constraint?: string }) : undefined;
      if (driver?.code === '23505' && driver.constraint === 'pk_idempotency_keys') return false;
      throw error;
    }
  }
}

export type IdempotentOutcome<T> = { replayed: false; result: T } | { replayed: true; stored: StoredResponse };

const inFlight = (): DomainError =>
  new DomainError('idempotency-key-in-flight', 'A request with this Idempotency-Key is still running; retry when it has finished.', { headers: { 'Retry-After': '1' } });

/**
 * The Idempotency-Key protocol inside an open transaction (TransactionHost.run): claims
 * (principal, key); replays the stored answer of the same request, refuses a different one
 * (422) or one still running (409); otherwise runs `work` and records what it returns as the
 * transaction's last statement, so the effect and the key commit together or not at all.
 * Nothing may run in the transaction after it returns a fresh result.
 */
export async function runIdempotently<T>(
  store: IdempotencyStore,
  principalId: string,
  key: string,
  requestHash: string,
  work: () => Promise<{ result: T; record: Omit<StoredResponse, 'requestHash'> }>,
): Promise<IdempotentOutcome<T>> {
  const { locked, stored } = await store.claim(principalId, key);
  if (!locked) throw inFlight();
  if (stored) {
    if (stored.requestHash !== requestHash) {
      throw new DomainError('idempotency-key-reused', 'This Idempotency-Key was already used for a different request; use a new key for a new operation.');
    }
    return { replayed: true, stored };
  }
  const { result, record } = await work();
  // The first request with this key committed while this one started: PostgreSQL rolled this one back.
  if (!(await store.recordAndCommit(principalId, key, { ...record, requestHash }))) throw inFlight();
  return { replayed: false, result };
}

/** Deletes expired keys in batches of `batch`; for a scheduled job. Returns how many went. */
export async function purgeExpiredIdempotencyKeys(manager: EntityManager, batch = 10_000): Promise<number> {
  const rows: { purged: number }[] = await manager.query('SELECT idempotency_purge($1) AS purged', [batch]);
  return rows[0].purged;
}
