import { Injectable, Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { DomainError } from '../common/errors/domain-error.js';
import { prepared } from '../database/prepared-statements.js';
import { TransactionHost } from '../database/transaction-host.js';
import type { DeferredSessionCheck } from './auth-user.js';
import type { SessionRevokeReason } from './session.entity.js';
import { TokenService, type IssuedTokens } from './token.service.js';

interface PresentedToken {
  id: string;
  session_id: string;
  user_id: string;
  rotated: boolean;
  expired: boolean;
  revoked: boolean;
}

/**
 * Session `sessionId` of user `userId` (SQL expressions) is live, as `sessions s`: the
 * condition of the per-request check, for a module above auth that answers the check
 * together with its own read (see `checkCircleRequestsWith`).
 */
export function liveSession(sessionId: string, userId: string): string {
  return `s.id = ${sessionId} AND s.user_id = ${userId} AND s.revoked_at IS NULL`;
}

const SESSION_ACTIVE = prepared('arvut_session_active', `SELECT 1 FROM sessions s WHERE ${liveSession('$1', '$2')}`);
// The same check as a statement that aborts its transaction (AR014) when the session is not live
// (migrations/1790000001900-SingleWrite.ts).
const SESSION_REQUIRE_LIVE = prepared('arvut_session_require_live', `SELECT session_require_live((SELECT count(*) FROM sessions s WHERE ${liveSession('$1', '$2')}))`);

/** The session check of a request to /v1/circles/{circleId}/…: true when the session is live. */
export type CircleRequestSessionCheck = (sessionId: string, userId: string, circleId: string) => Promise<boolean>;

/** Days past expiry an expired refresh token (and then its emptied session) is kept. */
export const SESSION_PURGE_GRACE_DAYS = 7;

type RotateOutcome = { kind: 'rotated'; tokens: IssuedTokens } | { kind: 'invalid' } | { kind: 'reused'; sessionId: string };

/** Login sessions (refresh-token families): start, rotate, revoke, and the per-request liveness check. */
@Injectable()
export class SessionsService {
  private readonly logger = new Logger(SessionsService.name);
  private circleRequestCheck: CircleRequestSessionCheck | undefined;

  constructor(
    private readonly tx: TransactionHost,
    private readonly tokens: TokenService,
  ) {}

  /** Opens a new family with its first refresh token. */
  start(userId: string): Promise<IssuedTokens> {
    return this.tx.run(async (m) => {
      const sessionId = randomUUID();
      await m.query(`INSERT INTO sessions (id, user_id) VALUES ($1, $2)`, [sessionId, userId]);
      return this.issue(m, userId, sessionId);
    });
  }

  /**
   * Exchanges a refresh token for a new pair. A token that was already exchanged is
   * proof that someone else holds a copy: the whole family is revoked, so both the thief
   * and the owner must log in again.
   */
  async rotate(refreshToken: string): Promise<IssuedTokens> {
    const outcome = await this.tx.run((m) => this.rotateIn(m, TokenService.hashRefreshToken(refreshToken)));
    // Thrown after the transaction so a reuse revocation is committed, not rolled back.
    if (outcome.kind === 'rotated') return outcome.tokens;
    if (outcome.kind === 'reused') this.logger.warn(`refresh token reused: session ${outcome.sessionId} revoked`);
    throw new DomainError('unauthenticated', 'The refresh token is invalid, expired or revoked.');
  }

  /** Ends the family: its refresh tokens and its access tokens stop working at once. */
  async revoke(sessionId: string, reason: SessionRevokeReason): Promise<void> {
    await this.tx.manager.query(`UPDATE sessions SET revoked_at = now(), revoke_reason = $2 WHERE id = $1 AND revoked_at IS NULL`, [sessionId, reason]);
  }

  /** Ends every login of the user at once (account deletion): their tokens go with the rows. */
  async endAllOf(userId: string): Promise<void> {
    await this.tx.manager.query('DELETE FROM sessions WHERE user_id = $1', [userId]);
  }

  /** Checked on every authenticated request, so a logout or revocation takes effect immediately on every instance. */
  async isActive(sessionId: string, userId: string): Promise<boolean> {
    const rows = (await this.tx.manager.query(SESSION_ACTIVE, [sessionId, userId])) as unknown[];
    return rows.length === 1;
  }

  /**
   * The session check of `sessionId` left to the request's transaction (AuthUser.deferredSessionCheck).
   * `refused` is the guard's answer to a session that is not live.
   */
  deferredCheck(sessionId: string, userId: string, refused: () => Error): DeferredSessionCheck {
    return {
      sendAhead: () => this.tx.sendWithoutWaiting(SESSION_REQUIRE_LIVE, [sessionId, userId]),
      require: async () => {
        if (!(await this.isActive(sessionId, userId))) throw refused();
      },
    };
  }

  /**
   * Lets the circles module (above this one) answer the session check of circle requests,
   * reading the caller's access to the circle in the same round trip (one query, not two).
   */
  checkCircleRequestsWith(check: CircleRequestSessionCheck): void {
    this.circleRequestCheck = check;
  }

  /** isActive for a request to /v1/circles/{circleId}/…, through the circles module's check when it registered one. */
  isActiveInCircle(sessionId: string, userId: string, circleId: string): Promise<boolean> {
    return this.circleRequestCheck ? this.circleRequestCheck(sessionId, userId, circleId) : this.isActive(sessionId, userId);
  }

  /**
   * Retention: deletes refresh tokens that expired more than `graceDays` ago (they can no
   * longer be exchanged; until then a rotated one still reveals a theft when presented),
   * then sessions left without any token that began before that — their access tokens,
   * at most an hour long, are long dead. At most `batch` rows of each per call.
   */
  async purgeEnded(now: Date, graceDays = SESSION_PURGE_GRACE_DAYS, batch = 10_000): Promise<{ refreshTokens: number; sessions: number }> {
    const cutoff = new Date(now.getTime() - graceDays * 86_400_000);
    return this.tx.run(async (m) => {
      const tokens: { n: number }[] = await m.query(
        `WITH gone AS (
           DELETE FROM refresh_tokens WHERE id IN (SELECT id FROM refresh_tokens WHERE expires_at < $1 LIMIT $2) RETURNING 1
         ) SELECT count(*)::int AS n FROM gone`,
        [cutoff, batch],
      );
      const sessions: { n: number }[] = await m.query(
        `WITH gone AS (
           DELETE FROM sessions WHERE id IN (
             SELECT s.id FROM sessions s
              WHERE s.created_at < $1 AND NOT EXISTS (SELECT 1 FROM refresh_tokens t WHERE t.session_id = s.id)
              LIMIT $2)
           RETURNING 1
         ) SELECT count(*)::int AS n FROM gone`,
        [cutoff, batch],
      );
      return { refreshTokens: tokens[0].n, sessions: sessions[0].n };
    });
  }

  private async rotateIn(m: EntityManager, tokenHash: string): Promise<RotateOutcome> {
    // The row lock makes two concurrent exchanges of one token queue: the second sees
    // rotated_at set by the first and is treated as reuse.
    const [presented] = (await m.query(
      `SELECT t.id, t.session_id, s.user_id,
              t.rotated_at IS NOT NULL AS rotated, t.expires_at <= now() AS expired, s.revoked_at IS NOT NULL AS revoked
         FROM refresh_tokens t JOIN sessions s ON s.id = t.session_id
        WHERE t.token_hash = $1
          FOR UPDATE OF t`,
      [tokenHash],
    )) as PresentedToken[];
    if (!presented || presented.revoked) return { kind: 'invalid' };
    if (presented.rotated) return this.revokeForReuse(m, presented.session_id);
    if (presented.expired) return { kind: 'invalid' };
    // Guarded as well as locked: a token is exchanged at most once whatever the isolation level.
    const [claimed] = (await m.query(`UPDATE refresh_tokens SET rotated_at = now() WHERE id = $1 AND rotated_at IS NULL RETURNING id`, [presented.id])) as [unknown[], number];
    if (claimed.length === 0) return this.revokeForReuse(m, presented.session_id);
    return { kind: 'rotated', tokens: await this.issue(m, presented.user_id, presented.session_id) };
  }

  private async revokeForReuse(m: EntityManager, sessionId: string): Promise<RotateOutcome> {
    await m.query(`UPDATE sessions SET revoked_at = now(), revoke_reason = 'reuse-detected' WHERE id = $1 AND revoked_at IS NULL`, [sessionId]);
    return { kind: 'reused', sessionId };
  }

  private async issue(m: EntityManager, userId: string, sessionId: string): Promise<IssuedTokens> {
    const refresh = this.tokens.newRefreshToken();
    await m.query(`INSERT INTO refresh_tokens (id, session_id, token_hash, expires_at) VALUES ($1, $2, $3, now() + make_interval(days => $4))`, [randomUUID(), sessionId, refresh.hash, this.tokens.refreshTtlDays]);
    return { accessToken: this.tokens.signAccessToken(userId, sessionId), refreshToken: refresh.token, expiresIn: this.tokens.accessTtlSeconds };
  }
}
