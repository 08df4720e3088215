import { ApiProperty } from '@nestjs/swagger';
import type { PayoutHistory } from '../payout-history.entity.js';
import { PAYOUT_HISTORY_EVENTS, type PayoutHistoryEvent, type PayoutMethod, type PayoutStatus } from '../payout-status.js';
import type { Payout } from '../payout.entity.js';
import { ACTOR_KINDS, type ActorKind } from '../../common/actor.js';

export class PayoutResponse {
  id: string;
  circleId: string;
  cycleId: string;
  /** The roster's internal id of the recipient. Vault fields are never part of a payout; only the list adds the alias. */
  recipientId: string;
  @ApiProperty({ type: 'integer' })
  week: number;
  /** The week's payout day in the circle's time zone. */
  @ApiProperty({ type: 'string', format: 'date', example: '2026-03-06' })
  payoutDate: string;
  @ApiProperty({ type: 'integer', format: 'int64', example: 17500 })
  amount: number;
  /** @example "USD" */
  currency: string;
  /** scheduled → approved → sent → acknowledged; sent → returned; scheduled | approved → cancelled. */
  status: PayoutStatus;
  /** How it was sent; null until sent. */
  method: PayoutMethod | null;
  referenceLast4: string | null;
  /** SHA-256 of the transfer screenshot, if the treasurer gave one. */
  proofSha256: string | null;
  /** The ledger transfer pool → payouts posted when it was sent. */
  transferId: string | null;
  /** The ledger reversal posted when the money came back. */
  reversalTransferId: string | null;
  /** Until when the recipient's current acknowledgement link works; null while the payout is not sent or no link was issued (POST …/acknowledgement-link). */
  acknowledgementExpiresAt: string | null;
  createdAt: string;
  approvedAt: string | null;
  sentAt: string | null;
  acknowledgedAt: string | null;
  returnedAt: string | null;
  cancelledAt: string | null;
}

export class PayoutHistoryResponse {
  /** `status_change`, or `acknowledgement_link_issued` (a new link replaced any earlier one; from and to are both `sent`). */
  @ApiProperty({ enum: PAYOUT_HISTORY_EVENTS })
  event: PayoutHistoryEvent;
  /** null when the payout was created. */
  from: PayoutStatus | null;
  to: PayoutStatus;
  /** Who did it: a user (actorUserId), the person's own link, a payment provider's event, or a job. */
  @ApiProperty({ enum: ACTOR_KINDS })
  actor: ActorKind;
  /** The user who did it; null unless actor is `user`. */
  actorUserId: string | null;
  at: string;
}

export class PayoutDetailResponse extends PayoutResponse {
  /** Every state the payout went through and every acknowledgement link issued for it, oldest first. */
  history: PayoutHistoryResponse[];
}

const iso = (d: Date | null): string | null => d?.toISOString() ?? null;

export function toPayoutResponse(p: Payout): PayoutResponse {
  return {
    id: p.id,
    circleId: p.circleId,
    cycleId: p.cycleId,
    recipientId: p.recipientId,
    week: p.week,
    payoutDate: p.payoutDate,
    amount: Number(p.amount),
    currency: p.currency,
    status: p.status,
    method: p.proof.method,
    referenceLast4: p.proof.referenceLast4,
    proofSha256: p.proof.proofSha256,
    transferId: p.transferId,
    reversalTransferId: p.reversalTransferId,
    acknowledgementExpiresAt: p.status === 'sent' ? iso(p.ackExpiresAt) : null,
    createdAt: p.createdAt.toISOString(),
    approvedAt: iso(p.approvedAt),
    sentAt: iso(p.sentAt),
    acknowledgedAt: iso(p.acknowledgedAt),
    returnedAt: iso(p.returnedAt),
    cancelledAt: iso(p.cancelledAt),
  };
}

export function toPayoutHistoryResponse(h: PayoutHistory): PayoutHistoryResponse {
  return { event: h.event, from: h.fromStatus, to: h.toStatus, actor: h.actor, actorUserId: h.actorUserId, at: h.at.toISOString() };
}
