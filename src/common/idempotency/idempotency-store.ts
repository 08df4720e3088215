import { AsyncLocalStorage } from 'node:async_hooks';
import { QueryFailedError, type EntityManager } from 'typeorm';
import { prepared } from '../../database/prepared-statements.js';
import { DomainError } from '../errors/domain-error.js';
import type { TransactionHost } from '../../database/transaction-host.js';
import { IDEMPOTENCY_RETENTION_HOURS } from './idempotency-request.js';

export interface StoredResponse {
  requestHash: string;
  status: number;
  /** The JSON body as sent; null when the record names the transfer the request created instead. */
  body: string | null;
  location: string | null;
  /** Set instead of body by recordTransferAhead: the response is this transfer as first returned. */
  transferId?: string | null;
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
   SELECT claim.locked, k.request_hash, k.response_status, k.response_body, k.response_location, k.response_transfer_id
     FROM claim
     LEFT JOIN idempotency_keys k ON k.principal_id = $1 AND k.key = $2 AND k.expires_at > now()`,
);
// A record holds the response body, or names the transfer the request created (recordTransferAhead).
const RECORD = prepared(
  'arvut_idempotency_record',
  `INSERT INTO idempotency_keys (principal_id, key, request_hash, response_status, response_body, response_transfer_id, response_location, expires_at)
   VALUES ($1, $2, $3, $4, $5, $6, $7, now() + make_interval(hours => $8))`,
);

// The claim for a request sent in one write: aborts the transaction unless the key is free
// (migrations/1790000001900-SingleWrite.ts).
const CLAIM_FRESH = prepared('arvut_idempotency_claim_fresh', 'SELECT idempotency_claim_fresh($1, $2, $3)');

/** True for the error of a record that met a live row of its key (the first request committed meanwhile). */
function isKeyCollision(error: unknown): boolean {
  const driver = error instanceof QueryFailedError ? (error.driverError as { code?: string; constraint?: string }) : undefined;
  return driver?.code === '23505' && driver.constraint === 'pk_idempotency_keys';
}

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
    const rows: {
      locked: boolean;
      request_hash: string | null;
      response_status: number;
      response_body: string | null;
      response_location: string | null;
      response_transfer_id: string | null;
    }[] = await this.tx.manager.query(CLAIM, [principalId, key, LOCK_SEED]);
    const row = rows[0];
    if (!row.locked || row.request_hash === null) return { locked: row.locked };
    return {
      locked: true,
      stored: { requestHash: row.request_hash, status: row.response_status, body: row.response_body, location: row.response_location, transferId: row.response_transfer_id },
    };
  }

  /**
   * Sends the claim of a request sent in one write, without waiting: it takes the key's lock
   * and fails the transaction unless the key is free (no request with it in flight, no live
   * record; an expired record is deleted).
   */
  claimFreshAhead(principalId: string, key: string): void {
    this.tx.sendWithoutWaiting(CLAIM_FRESH, [principalId, key, LOCK_SEED]);
  }

  /**
   * Records the response as the transaction's last statement, sent together with COMMIT
   * (TransactionHost.queryAndCommit). False when a live row of the key exists: then nothing
   * was committed, the request's effect included.
   */
  async recordAndCommit(principalId: string, key: string, response: StoredResponse): Promise<boolean> {
    try {
      await this.tx.queryAndCommit(RECORD, [principalId, key, response.requestHash, response.status, response.body, null, response.location, IDEMPOTENCY_RETENTION_HOURS]);
      return true;
    } catch (error) {
      if (isKeyCollision(error)) return false;
      throw error;
    }
  }

  /**
   * Sends the record now, without waiting (TransactionHost.sendWithoutWaiting), naming the
   * transfer the request is about to create as its response. It commits with the
   * transaction or not at all, like any record; a collision with a live row of the key fails
   * the transaction.
   */
  recordTransferAhead(principalId: string, key: string, requestHash: string, status: number, transferId: string): void {
    this.tx.sendWithoutWaiting(RECORD, [principalId, key, requestHash, status, null, transferId, null, IDEMPOTENCY_RETENTION_HOURS]);
  }
}

/** The Idempotency-Key request being run, while its handler runs: what recordTransferAhead needs. */
interface OpenRequest {
  store: IdempotencyStore;
  principalId: string;
  key: string;
  requestHash: string;
  /** The status the response will have (the route's), known before the handler runs. */
  status: number;
  recordedAhead: boolean;
}
const openRequest = new AsyncLocalStorage<OpenRequest>();

/**
 * For a handler that creates one transfer and answers with it (toTransferResponse, reversedBy
 * null): inside an Idempotency-Key request, sends the key's record now, naming `transferId`
 * as the response, so that the posting can be the transaction's last statement and travel
 * with COMMIT (LedgerService.postAndCommit). A replay renders that transfer as the first
 * answer did (registerTransferReplay). False, and nothing sent, outside such a request or
 * where the caller cannot record ahead (the status is unknown).
 */
export function recordTransferAhead(transferId: string): boolean {
  const open = openRequest.getStore();
  if (!open || open.recordedAhead) return false;
  open.store.recordTransferAhead(open.principalId, open.key, open.requestHash, open.status, transferId);
  open.recordedAhead = true;
  return true;
}

let transferReplay: ((transferId: string) => Promise<unknown>) | undefined;

/**
 * Registers how a record that names a transfer is replayed: the module that records such
 * references (src/ledger/ledger-api.service.ts) renders the transfer as its first answer did.
 */
export function registerTransferReplay(render: (transferId: string) => Promise<unknown>): void {
  transferReplay = render;
}

/** The JSON body a stored response replays: as stored, or the named transfer rendered now. */
export async function replayBody(stored: StoredResponse): Promise<string> {
  if (stored.body !== null) return stored.body;
  if (!stored.transferId || !transferReplay) throw new Error('an idempotency record names a transfer but nothing renders transfers');
  return JSON.stringify(await transferReplay(stored.transferId));
}

/** Marks the handler and transaction of a request being tried in one write (runInOneWrite). */
const oneWriteAttempt = new AsyncLocalStorage<true>();

/**
 * True while a request is being tried in one write (runInOneWrite): its transaction's
 * statements must all be sent without waiting for an answer, and any decision that would
 * refuse the request made by a statement that aborts the transaction. Read by the opener of
 * the transaction (src/circles/circle-access-prefetch.ts) and by the handler.
 */
export function inOneWriteAttempt(): boolean {
  return oneWriteAttempt.getStore() === true;
}

/**
 * Tries an Idempotency-Key request in one write to PostgreSQL (docs/idempotency.md, "One
 * write"): `open` opens the transaction (TransactionHost.run), whose first statements are what
 * `first` sends (the session check the guard left to the request), the fresh-key claim
 * (claimFreshAhead) and whatever the handler sends; the handler records its
 * response ahead (recordTransferAhead) and commits with its last statement. Every refusal
 * (the session, the key taken, the role, the limit) aborts the transaction in PostgreSQL and rejects; the
 * caller then runs the request the ordinary way (runIdempotently), which answers it.
 */
export async function runInOneWrite<T>(
  open: <R>(work: () => Promise<R>) => Promise<R>,
  store: IdempotencyStore,
  principalId: string,
  key: string,
  requestHash: string,
  status: number,
  work: () => Promise<T>,
  first?: () => void,
): Promise<T> {
  return oneWriteAttempt.run(true, () =>
    open(async () => {
      first?.();
      store.claimFreshAhead(principalId, key);
      const request: OpenRequest = { store, principalId, key, requestHash, status, recordedAhead: false };
      const result = await openRequest.run(request, work);
      if (!request.recordedAhead) throw new Error('a handler tried in one write did not record its response ahead');
      return result;
    }),
  );
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
  work: () => Promise<{ result: T; record: () => Omit<StoredResponse, 'requestHash'> }>,
  status?: number,
): Promise<IdempotentOutcome<T>> {
  const { locked, stored } = await store.claim(principalId, key);
  if (!locked) throw inFlight();
  if (stored) {
    if (stored.requestHash !== requestHash) {
      throw new DomainError('idempotency-key-reused', 'This Idempotency-Key was already used for a different request; use a new key for a new operation.');
    }
    return { replayed: true, stored };
  }
  // With a status known in advance, the handler may record ahead (recordTransferAhead).
  const open: OpenRequest | undefined = status === undefined ? undefined : { store, principalId, key, requestHash, status, recordedAhead: false };
  let done: { result: T; record: () => Omit<StoredResponse, 'requestHash'> };
  try {
    done = open ? await openRequest.run(open, work) : await work();
  } catch (error) {
    // A record sent ahead met the first request's row, committed meanwhile: rolled back.
    if (open?.recordedAhead && isKeyCollision(error)) throw inFlight();
    throw error;
  }
  if (open?.recordedAhead) return { replayed: false, result: done.result };
  // The first request with this key committed while this one started: PostgreSQL rolled this one back.
  if (!(await store.recordAndCommit(principalId, key, { ...done.record(), requestHash }))) throw inFlight();
  return { replayed: false, result: done.result };
}

/** Deletes expired keys in batches of `batch`; for a scheduled job. Returns how many went. */
export async function purgeExpiredIdempotencyKeys(manager: EntityManager, batch = 10_000): Promise<number> {
  const rows: { purged: number }[] = await manager.query('SELECT idempotency_purge($1) AS purged', [batch]);
  return rows[0].purged;
}
