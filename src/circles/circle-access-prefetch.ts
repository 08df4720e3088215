import { Injectable, type OnModuleInit } from '@nestjs/common';
import type { FastifyReply, FastifyRequest, HookHandlerDoneFunction } from 'fastify';
import { AsyncLocalStorage } from 'node:async_hooks';
import DataLoader from 'dataloader';
import { liveSession, SessionsService } from '../auth/sessions.service.js';
import { inOneWriteAttempt } from '../common/idempotency/idempotency-store.js';
import { prepared } from '../database/prepared-statements.js';
import type { EntityManager } from 'typeorm';
import { TransactionHost } from '../database/transaction-host.js';
import type { CircleRole } from './circle-role.js';
import type { RouteRole } from './min-role.decorator.js';

/**
 * What the access check needs to know about a caller in a circle: whether the circle exists,
 * the caller's role in it (null for a non-member) and the circle facts services use.
 */
export interface CircleAccessRow {
  found: boolean;
  role: CircleRole | null;
  currency: string;
  currency_exponent: number;
  timezone: string;
  receipt_visibility: string;
}

/** The columns of a CircleAccessRow: shared by the access check and the session check below, so both read the same. */
export const CIRCLE_ACCESS_COLUMNS = `c.id IS NOT NULL AS found, m.role, c.currency, c.currency_exponent, c.timezone, c.receipt_visibility`;

// The session check (auth's condition) and the caller's access to the circle, in one query,
// for one request or several at once: (session, user, circle) triples as three arrays; a row,
// numbered by its triple's position from 1, for each live session.
const SESSIONS_WITH_CIRCLE_ACCESS = prepared(
  'arvut_sessions_with_circle_access',
  `SELECT q.i, ${CIRCLE_ACCESS_COLUMNS}
     FROM unnest($1::uuid[], $2::uuid[], $3::uuid[]) WITH ORDINALITY AS q(session_id, user_id, circle_id, i)
     JOIN sessions s ON ${liveSession('q.session_id', 'q.user_id')}
     LEFT JOIN circles c ON c.id = q.circle_id
     LEFT JOIN memberships m ON m.circle_id = c.id AND m.user_id = s.user_id`,
);

interface SessionInCircle {
  sessionId: string;
  userId: string;
  circleId: string;
}

/** At most this many requests' session checks go in one query. */
const SESSION_CHECK_BATCH = 64;

/**
 * The caller's access to a circle, read without the session (by CircleAccess when the
 * session check's row cannot serve). In a transaction it runs after MEMBERSHIP_SHARED
 * (a separate statement, so this one's snapshot is taken once that lock is held): a change
 * of the role under way has committed by then, and a later one waits for the transaction
 * (docs/security.md, "A member who loses their role"). $2 is a user id or, for a caller
 * with an API key, the key's id: a live key has its role in its own circle only.
 */
export const CIRCLE_ACCESS = prepared(
  'arvut_circle_access',
  `SELECT ${CIRCLE_ACCESS_COLUMNS.replace('m.role', 'coalesce(m.role, k.role) AS role')}
     FROM circles c
     LEFT JOIN memberships m ON m.circle_id = c.id AND m.user_id = $2
     LEFT JOIN api_keys k ON k.id = $2 AND k.circle_id = c.id AND k.revoked_at IS NULL
    WHERE c.id = $1`,
);

/** Seed of the advisory-lock key of one member (or API key) in one circle; any fixed value works. */
const MEMBERSHIP_LOCK_SEED = 7253470020;
const membershipLockKey = `hashtextextended($1::text || ':' || $2::text, ${MEMBERSHIP_LOCK_SEED})`;

/**
 * Taken by every transaction of a circle request before it reads the caller's role, and held
 * until it ends: shared, so mutations of one member never wait for each other. An advisory
 * lock rather than a row lock: it lives in memory, writes nothing, and a busy member's
 * requests do not pile share locks onto one row.
 */
export const MEMBERSHIP_SHARED = prepared('arvut_membership_lock_shared', `SELECT pg_advisory_xact_lock_shared(${membershipLockKey})`);

/**
 * The access check of a request tried in one write (src/common/idempotency/, runInOneWrite):
 * MEMBERSHIP_SHARED's lock, then CIRCLE_ACCESS's row read under it, or the transaction aborted
 * when the caller's role is not one of $3 (migrations/1790000001900-SingleWrite.ts).
 */
export const CIRCLE_ACCESS_REQUIRE = prepared('arvut_circle_access_require', `SELECT * FROM circle_access_require($1, $2, $3, ${MEMBERSHIP_LOCK_SEED})`);

/**
 * Taken, exclusive, by whatever changes or ends a membership (or revokes an API key) before it
 * does so: it waits for the member's transactions in flight, and the ones after it read the
 * new role. `$1` circle id, `$2` user or key id.
 */
export const MEMBERSHIP_EXCLUSIVE = `SELECT pg_advisory_xact_lock(${membershipLockKey})`;

interface Prefetched {
  circleId: string;
  userId: string;
  row: CircleAccessRow;
}

/** The membership lock and access read sent with a transaction's BEGIN, for the transaction (`manager`) it belongs to. */
interface Fresh {
  circleId: string;
  userId: string;
  manager: EntityManager;
  row: Promise<CircleAccessRow | undefined>;
}

interface Slot {
  /** The route's minimum role (@MinRole), declared by RouteRoleGuard before the handler runs. */
  routeRole?: RouteRole;
  /** Who is calling on which circle, as the session check found. */
  caller?: { circleId: string; userId: string };
  /** The session check's row: good for reads outside a transaction, once. */
  prefetched?: Prefetched;
  fresh?: Fresh;
}

const storage = new AsyncLocalStorage<Slot>();

/**
 * Opens a per-request slot (a Fastify preHandler hook; the route's guards and handler run
 * inside it). The session check of a request to /v1/circles/{circleId}/… reads the caller's
 * membership in the same query (one round trip instead of two, the largest saving per
 * request in bench:ledger and bench:feed; CircleAccessPrefetch below) and leaves it here
 * for the request's first access check. Other routes get no slot and pay nothing.
 */
export function openCircleAccessSlot(req: FastifyRequest, _reply: FastifyReply, done: HookHandlerDoneFunction): void {
  if (req.url.startsWith('/v1/circles/')) storage.run({}, done);
  else done();
}

/** Records the route's minimum role for this request's access checks; false when the request has no slot (not a circle route). */
export function declareRouteRole(role: RouteRole): boolean {
  const slot = storage.getStore();
  if (!slot) return false;
  slot.routeRole = role;
  return true;
}

/**
 * Runs `work` as a route declaring `role` would: for code that calls a circle route's
 * service method without an HTTP request (a test with its own clock, a script).
 */
export function asRoute<T>(role: RouteRole, work: () => Promise<T>): Promise<T> {
  return storage.run({ routeRole: role }, work);
}

/** The minimum role the route of this request declared, if any. */
export function routeRole(): RouteRole | undefined {
  return storage.getStore()?.routeRole;
}

export function leaveCircleAccess(circleId: string, userId: string, row: CircleAccessRow): void {
  const slot = storage.getStore();
  if (!slot) return;
  slot.caller = { circleId, userId };
  slot.prefetched = { circleId, userId, row };
}

/**
 * The row left by this request's session check for this circle and user, once: a second
 * check in the same request (after a change of membership, say) reads the database again.
 */
export function takeCircleAccess(circleId: string, userId: string): CircleAccessRow | undefined {
  const slot = storage.getStore();
  const found = slot?.prefetched;
  if (!slot || !found || found.circleId !== circleId || found.userId !== userId) return undefined;
  slot.prefetched = undefined;
  return found.row;
}

/**
 * The lock and read sent when the transaction of `manager` began, for this circle and user,
 * once; undefined when none was sent for them in that transaction.
 */
export function takeFreshCircleAccess(circleId: string, userId: string, manager: EntityManager): Promise<CircleAccessRow | undefined> | undefined {
  const slot = storage.getStore();
  const fresh = slot?.fresh;
  if (!slot || !fresh || fresh.circleId !== circleId || fresh.userId !== userId || fresh.manager !== manager) return undefined;
  slot.fresh = undefined;
  return fresh.row;
}

/**
 * Registers with auth's session check, so a request to /v1/circles/{circleId}/… checks its
 * session and reads the caller's access to the circle in one round trip, and leaves the row
 * for the request's first CircleAccess check outside a transaction. Auth stays below
 * circles: it only calls back. Registers with TransactionHost too, so a transaction opened
 * by such a request takes the caller's membership lock and reads their access again with its
 * first statement.
 */
@Injectable()
export class CircleAccessPrefetch implements OnModuleInit {
  /**
   * The session checks of the requests that arrive in one turn of the event loop, made in one
   * query (sent when the turn's I/O has been handled: setImmediate). Under load that is one
   * statement, one pooled connection and one wake-up of a database process for many requests
   * instead of one each (docs/performance.md); each request still waits for its own answer,
   * read after it arrived. No cache: every request is checked.
   */
  private readonly batch = new DataLoader<SessionInCircle, CircleAccessRow | null>((checks) => this.checkMany(checks), {
    cache: false,
    maxBatchSize: SESSION_CHECK_BATCH,
    batchScheduleFn: (dispatch) => setImmediate(dispatch),
  });

  constructor(
    private readonly sessions: SessionsService,
    private readonly tx: TransactionHost,
  ) {}

  onModuleInit(): void {
    this.sessions.checkCircleRequestsWith((sessionId, userId, circleId) => this.checkSession(sessionId, userId, circleId));
    // A mutation decides on the role under its transaction's locks. The lock and the read go
    // out with BEGIN and the transaction's first statement: no round trip of their own.
    this.tx.onTransactionStart((manager) => {
      const slot = storage.getStore();
      // Tried in one write, the handler sends the lock and a role check that refuses in SQL (CircleAccess.requireAhead).
      if (!slot?.caller || inOneWriteAttempt()) return;
      const { circleId, userId } = slot.caller;
      const locked = manager.query(MEMBERSHIP_SHARED, [circleId, userId]);
      const read = manager.query(CIRCLE_ACCESS, [circleId, userId]);
      const row = Promise.all([locked, read]).then(([, rows]: [unknown, CircleAccessRow[]]) => rows[0]);
      row.catch(() => undefined); // awaited by the access check; unawaited when the transaction never asks
      slot.fresh = { circleId, userId, manager, row };
    });
  }

  async checkSession(sessionId: string, userId: string, circleId: string): Promise<boolean> {
    const check = { sessionId, userId, circleId };
    // Inside a transaction the check reads what that transaction sees, on its connection.
    const row = this.tx.inTransaction ? (await this.checkMany([check]))[0] : await this.batch.load(check);
    if (!row) return false;
    leaveCircleAccess(circleId, userId, row);
    return true;
  }

  private async checkMany(checks: readonly SessionInCircle[]): Promise<(CircleAccessRow | null)[]> {
    const rows: (CircleAccessRow & { i: string })[] = await this.tx.manager.query(SESSIONS_WITH_CIRCLE_ACCESS, [
      checks.map((c) => c.sessionId),
      checks.map((c) => c.userId),
      checks.map((c) => c.circleId),
    ]);
    const answers: (CircleAccessRow | null)[] = checks.map(() => null);
    for (const { i, ...row } of rows) answers[Number(i) - 1] = row;
    return answers;
  }
}
