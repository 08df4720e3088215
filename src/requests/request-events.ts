import type { GrantMoney, RequestChange } from '../events/event-map.js';
import type { RequestStatus } from './request-status.js';
import type { GrantRequest } from './request.entity.js';

/** The payload of a request's state event: ids, states, amounts, dates. Never the alias, the opener or a vault field (invariant 9). */
export function requestChange(r: GrantRequest, from: RequestStatus | null, at: Date): RequestChange {
  return {
    requestId: r.id,
    kind: r.kind,
    category: r.category,
    from,
    to: r.status,
    amountAsked: r.amountAsked === null ? null : Number(r.amountAsked),
    amountGranted: r.amountGranted === null ? null : Number(r.amountGranted),
    currency: r.currency,
    ...(r.status === 'declined' && r.declineReason ? { declineReason: r.declineReason } : {}),
    ...(r.status === 'approved' && r.recipientId ? { recipientId: r.recipientId } : {}),
    at: at.toISOString(),
  };
}

/** The payload of grant.paid and grant.returned. */
export function grantMoney(r: GrantRequest, transferId: string, at: Date): GrantMoney {
  return { requestId: r.id, category: r.category!, amount: Number(r.amountGranted), currency: r.currency, method: r.proof.method!, transferId, at: at.toISOString() };
}
