import { Injectable } from '@nestjs/common';
import { JOB_ACTOR } from '../common/actor.js';
import { TransactionHost } from '../database/transaction-host.js';
import { PrivacyService } from '../privacy/privacy.service.js';
import { RequestTransitions } from './request-transitions.service.js';
import { OPEN_STATUSES, UNDECIDED_RETENTION_DAYS } from './request-status.js';

/**
 * Whether a request is undecided and idle past its circle's retention at $1: its last activity
 * is its newest history row (every change, link, upload and update writes one) or, without
 * one, its creation. Used by the scan and again under the row's lock.
 */
const STALE = `r.status = ANY($2::text[])
   AND coalesce((SELECT max(h.at) FROM request_history h WHERE h.request_id = r.id), r.created_at)
       < $1::timestamptz - make_interval(days => coalesce(s.undecided_retention_days, $3))`;

/**
 * Undecided requests do not hold people's data forever (docs/grants.md, "Expiry"): a request
 * still submitted or in review after the circle's `undecidedRetentionDays` without activity
 * is moved to `expired` (the guarded transition, a history row whose actor is `job`, a
 * `request.expired` event) and its vault row and files are deleted in the same transaction.
 * Scheduled by the jobs module (`request-expiry`); safe to run twice.
 */
@Injectable()
export class RequestExpiry {
  constructor(
    private readonly tx: TransactionHost,
    private readonly transitions: RequestTransitions,
    private readonly privacy: PrivacyService,
  ) {}

  /** Expires up to `batch` idle, undecided requests as of `now`; returns how many. */
  async expireIdle(now: Date = new Date(), batch = 500): Promise<number> {
    const idle: { id: string; circle_id: string }[] = await this.tx.manager.query(
      `SELECT r.id, r.circle_id FROM requests r LEFT JOIN request_settings s ON s.circle_id = r.circle_id
        WHERE ${STALE} ORDER BY r.created_at, r.id LIMIT $4`,
      [now, OPEN_STATUSES, UNDECIDED_RETENTION_DAYS.default, batch],
    );
    let expired = 0;
    // One transaction per request: one that fails (or moved meanwhile) does not hold up the others.
    for (const row of idle) if (await this.expire(row.circle_id, row.id, now)) expired++;
    return expired;
  }

  private expire(circleId: string, requestId: string, now: Date): Promise<boolean> {
    return this.tx.run(async (manager) => {
      const locked = await this.transitions.lock(manager, circleId, requestId);
      // Checked again under the lock: a decision, an upload or an update since the scan keeps it.
      const still: unknown[] = await manager.query(
        `SELECT 1 FROM requests r LEFT JOIN request_settings s ON s.circle_id = r.circle_id WHERE r.id = $4 AND ${STALE}`,
        [now, OPEN_STATUSES, UNDECIDED_RETENTION_DAYS.default, requestId],
      );
      if (still.length === 0) return false;
      const expired = await this.transitions.apply(manager, locked, 'expire', JOB_ACTOR);
      // Privacy: the contact, handle, note and files go now, not a retention period later.
      if (await this.privacy.discard(circleId, expired.subjectId)) await this.transitions.record(manager, expired, 'private_erased', JOB_ACTOR);
      return true;
    });
  }
}
