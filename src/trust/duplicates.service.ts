import { Injectable } from '@nestjs/common';
import { CircleAccess } from '../circles/circle-access.service.js';
import { TransactionHost } from '../database/transaction-host.js';
import { DuplicateDigester } from '../privacy/duplicate-digester.js';
import { RequestsService } from '../requests/requests.service.js';
import { RosterService } from '../roster/roster.service.js';
import type { DuplicateCheckResponse } from './dto/trust.response.js';

interface Match {
  circle_id: string;
  subject_id: string;
}

/**
 * The subjects of this circle and of the circles in its network whose digests equal one of
 * the subject's (same kind, same key), less the pairs an organizer marked "not the same
 * person". Membership is read here, so a circle that left its network stops matching at once.
 */
const MATCHES = `
  SELECT DISTINCT d.circle_id, d.subject_id
    FROM duplicate_digests mine
    JOIN duplicate_digests d ON d.key_id = mine.key_id AND d.kind = mine.kind AND d.digest = mine.digest
   WHERE mine.subject_id = $1 AND mine.circle_id = $2 AND mine.key_id = $3
     AND d.subject_id <> $1
     AND (d.circle_id = $2 OR d.circle_id IN (
           SELECT o.circle_id FROM network_members me JOIN network_members o ON o.network_id = me.network_id WHERE me.circle_id = $2))
     AND NOT EXISTS (SELECT 1 FROM duplicate_dismissals x WHERE x.subject_id = $1 AND x.other_subject_id = d.subject_id)`;

export function duplicateSummary(inThisCircle: boolean, otherCircles: number): string {
  const places = [inThisCircle ? 'in this circle' : null, otherCircles > 0 ? `in ${otherCircles} other circle${otherCircles === 1 ? '' : 's'} of the network` : null].filter(Boolean);
  return places.length === 0 ? 'No possible duplicate.' : `Possible duplicate: also known ${places.join(' and ')}.`;
}

/**
 * Duplicate checks for organizers (docs/trust.md): whether a request's or a recipient's payout
 * handle, phone or email is also known in the circle or in other circles of its network —
 * counts only, never which circle or who — and "not the same person" marks.
 */
@Injectable()
export class DuplicatesService {
  constructor(
    private readonly tx: TransactionHost,
    private readonly access: CircleAccess,
    private readonly digester: DuplicateDigester,
    private readonly requests: RequestsService,
    private readonly roster: RosterService,
  ) {}

  async forRequest(userId: string, circleId: string, requestId: string): Promise<DuplicateCheckResponse> {
    return this.check(circleId, await this.subjectOf(userId, circleId, { requestId }));
  }

  async forRecipient(userId: string, circleId: string, recipientId: string): Promise<DuplicateCheckResponse> {
    return this.check(circleId, await this.subjectOf(userId, circleId, { recipientId }));
  }

  async dismissForRequest(userId: string, circleId: string, requestId: string): Promise<DuplicateCheckResponse> {
    return this.tx.run(async () => this.dismiss(userId, circleId, await this.subjectOf(userId, circleId, { requestId })));
  }

  async dismissForRecipient(userId: string, circleId: string, recipientId: string): Promise<DuplicateCheckResponse> {
    return this.tx.run(async () => this.dismiss(userId, circleId, await this.subjectOf(userId, circleId, { recipientId })));
  }

  /** After the access check, the vault subject of a request of the circle (its subject id) or of a recipient (its own id); unknown: 404. */
  private async subjectOf(userId: string, circleId: string, target: { requestId: string } | { recipientId: string }): Promise<string> {
    await this.access.require(circleId, userId);
    if ('requestId' in target) return (await this.requests.find(circleId, target.requestId)).subjectId;
    await this.roster.get(userId, circleId, target.recipientId);
    return target.recipientId;
  }

  /**
   * "Not the same person": every match shown now is kept as dismissed, so it is not counted
   * again; a later match with someone else still is. Within the circle the mark holds both ways.
   */
  private async dismiss(userId: string, circleId: string, subjectId: string): Promise<DuplicateCheckResponse> {
    const found = await this.matches(circleId, subjectId);
    const pairs = found.flatMap((m) => [
      { subject: subjectId, circle: circleId, other: m.subject_id, otherCircle: m.circle_id },
      ...(m.circle_id === circleId ? [{ subject: m.subject_id, circle: circleId, other: subjectId, otherCircle: circleId }] : []),
    ]);
    if (pairs.length > 0) {
      await this.tx.manager.query(
        `INSERT INTO duplicate_dismissals (subject_id, circle_id, other_subject_id, other_circle_id, dismissed_by)
         SELECT s, c, o, oc, $5 FROM unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::uuid[]) AS p(s, c, o, oc)
         ON CONFLICT DO NOTHING`,
        [pairs.map((p) => p.subject), pairs.map((p) => p.circle), pairs.map((p) => p.other), pairs.map((p) => p.otherCircle), userId],
      );
    }
    return this.check(circleId, subjectId);
  }

  private matches(circleId: string, subjectId: string): Promise<Match[]> {
    return this.tx.manager.query(MATCHES, [subjectId, circleId, this.digester.keyId]);
  }

  private async check(circleId: string, subjectId: string): Promise<DuplicateCheckResponse> {
    const found = await this.matches(circleId, subjectId);
    const inThisCircle = found.some((m) => m.circle_id === circleId);
    const otherCircles = new Set(found.filter((m) => m.circle_id !== circleId).map((m) => m.circle_id)).size;
    return { possibleDuplicate: inThisCircle || otherCircles > 0, inThisCircle, otherCircles, summary: duplicateSummary(inThisCircle, otherCircles) };
  }
}
