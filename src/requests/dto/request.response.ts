import { ApiProperty } from '@nestjs/swagger';
import { PageMeta } from '../../common/pagination.js';
import { PAYOUT_METHODS, type PayoutMethod } from '../../payouts/payout-status.js';
import type { RequestHistory } from '../request-history.entity.js';
import { DECLINE_REASONS, GRANT_CATEGORIES, REQUEST_HISTORY_EVENTS, REQUEST_KINDS, REQUEST_SOURCES, REQUEST_STATUSES, type DeclineReason, type GrantCategory, type RequestHistoryEvent, type RequestKind, type RequestSource, type RequestStatus } from '../request-status.js';
import type { GrantRequest } from '../request.entity.js';
import { ACTOR_KINDS, type ActorKind } from '../../common/actor.js';

/** A request as organizers and treasurers see it: never a vault field (those are at …/private, organizers only). */
export class RequestResponse {
  id: string;
  circleId: string;
  @ApiProperty({ enum: REQUEST_KINDS })
  kind: RequestKind;
  @ApiProperty({ enum: GRANT_CATEGORIES, nullable: true })
  category: GrantCategory | null;
  @ApiProperty({ type: 'integer', format: 'int64', nullable: true, example: 40000 })
  amountAsked: number | null;
  @ApiProperty({ type: 'integer', format: 'int64', nullable: true, example: 40000 })
  amountGranted: number | null;
  /** The approver chose to grant more than was asked. */
  aboveAsked: boolean;
  /** @example "USD" */
  currency: string;
  /**
   * The nickname the requester chose. Null in the answers of the operations that take an
   * Idempotency-Key (open, approve, send, return): those answers are stored for replay, and
   * the store keeps no names (docs/idempotency.md). Read the request to see it.
   */
  @ApiProperty({ type: String, nullable: true })
  alias: string | null;
  /** submitted → in_review → approved → paid → acknowledged; declined, withdrawn, cancelled, returned. */
  @ApiProperty({ enum: REQUEST_STATUSES })
  status: RequestStatus;
  /** `referral` (a member asked for a neighbour), `organizer`, or `intake` (the person asked through an intake link). */
  @ApiProperty({ enum: REQUEST_SOURCES })
  source: RequestSource;
  /** Who opened or referred it (a user id); shown to organizers only, null for everyone else and for intake requests. */
  @ApiProperty({ type: String, format: 'uuid', nullable: true })
  openedBy: string | null;
  @ApiProperty({ enum: DECLINE_REASONS, nullable: true })
  declineReason: DeclineReason | null;
  @ApiProperty({ type: String, format: 'uuid', nullable: true })
  approvedBy: string | null;
  @ApiProperty({ type: String, format: 'uuid', nullable: true })
  secondApprovedBy: string | null;
  /** A grant at or above the two-person threshold has its first approval and waits for a second, different organizer or treasurer. */
  awaitingSecondApproval: boolean;
  /** A grant at or above the two-person threshold was sent by one treasurer and waits for a second to confirm it. */
  awaitingSecondSender: boolean;
  @ApiProperty({ enum: PAYOUT_METHODS, nullable: true })
  method: PayoutMethod | null;
  referenceLast4: string | null;
  /** SHA-256 of the transfer screenshot, if the treasurer gave one; the image never reaches arvut. */
  proofSha256: string | null;
  @ApiProperty({ type: String, format: 'uuid', nullable: true })
  sentBy: string | null;
  @ApiProperty({ type: String, format: 'uuid', nullable: true })
  secondSentBy: string | null;
  /** The ledger transfer pool → payouts posted when the grant was paid. */
  @ApiProperty({ type: String, format: 'uuid', nullable: true })
  transferId: string | null;
  @ApiProperty({ type: String, format: 'uuid', nullable: true })
  reversalTransferId: string | null;
  /** The waitlisted recipient an approved roster request became. */
  @ApiProperty({ type: String, format: 'uuid', nullable: true })
  recipientId: string | null;
  createdAt: string;
  statusChangedAt: string;
  decidedAt: string | null;
  sentAt: string | null;
  acknowledgedAt: string | null;
}

export class RequestHistoryResponse {
  @ApiProperty({ enum: REQUEST_HISTORY_EVENTS })
  event: RequestHistoryEvent;
  @ApiProperty({ enum: REQUEST_STATUSES, nullable: true })
  from: RequestStatus | null;
  @ApiProperty({ enum: REQUEST_STATUSES })
  to: RequestStatus;
  /** Who did it: a user (actorUserId), the person's own link, a payment provider's event, or a job. */
  @ApiProperty({ enum: ACTOR_KINDS })
  actor: ActorKind;
  /** The user who did it; null unless actor is `user`. */
  @ApiProperty({ type: String, format: 'uuid', nullable: true })
  actorUserId: string | null;
  at: string;
}

export class RequestDetailResponse extends RequestResponse {
  @ApiProperty({ type: [RequestHistoryResponse] })
  history: RequestHistoryResponse[];
}

export class RequestPageResponse extends PageMeta {
  @ApiProperty({ type: [RequestResponse] })
  items: RequestResponse[];
}

const iso = (d: Date | null): string | null => (d ? d.toISOString() : null);
const int = (v: string | null): number | null => (v === null ? null : Number(v));

/** `showOpener`: only organizers see who opened or referred a request. `forReplay`: the answer is stored under an Idempotency-Key, so it leaves the alias out. */
export function toRequestResponse(r: GrantRequest, showOpener: boolean, forReplay = false): RequestResponse {
  return {
    id: r.id,
    circleId: r.circleId,
    kind: r.kind,
    category: r.category,
    amountAsked: int(r.amountAsked),
    amountGranted: int(r.amountGranted),
    aboveAsked: r.aboveAsked,
    currency: r.currency,
    alias: forReplay ? null : r.alias,
    status: r.status,
    source: r.source,
    openedBy: showOpener ? r.openedBy : null,
    declineReason: r.declineReason,
    approvedBy: r.approvedBy,
    secondApprovedBy: r.secondApprovedBy,
    awaitingSecondApproval: r.approvedBy !== null && (r.status === 'submitted' || r.status === 'in_review'),
    awaitingSecondSender: r.sentBy !== null && r.status === 'approved',
    method: r.proof.method,
    referenceLast4: r.proof.referenceLast4,
    proofSha256: r.proof.proofSha256,
    sentBy: r.sentBy,
    secondSentBy: r.secondSentBy,
    transferId: r.transferId,
    reversalTransferId: r.reversalTransferId,
    recipientId: r.recipientId,
    createdAt: r.createdAt.toISOString(),
    statusChangedAt: r.statusChangedAt.toISOString(),
    decidedAt: iso(r.decidedAt),
    sentAt: iso(r.sentAt),
    acknowledgedAt: iso(r.acknowledgedAt),
  };
}

export function toRequestHistoryResponse(h: RequestHistory): RequestHistoryResponse {
  return { event: h.event, from: h.fromStatus, to: h.toStatus, actor: h.actor, actorUserId: h.actorUserId, at: h.at.toISOString() };
}
