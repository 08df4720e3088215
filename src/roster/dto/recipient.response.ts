import type { ExitReason, RecipientStatus } from '../recipient-status.js';
import type { Recipient } from '../recipient.entity.js';

/** A roster entry. Never carries vault fields: those are only at `/private`. */
export class RecipientResponse {
  id: string;
  circleId: string;
  /** @example "Neighbour 7" */
  alias: string;
  status: RecipientStatus;
  /** 1-based place on the waitlist while waitlisted, otherwise null. */
  position: number | null;
  waitlistedAt: string | null;
  offeredAt: string | null;
  /** While offered: the offer lapses back to the waitlist after this time. */
  offeredUntil: string | null;
  activatedAt: string | null;
  pausedAt: string | null;
  exitedAt: string | null;
  exitReason: ExitReason | null;
  statusChangedAt: string;
  /** True once the private data was erased and the alias replaced by a neutral code. */
  erased: boolean;
  createdAt: string;
}

export class RecipientPageResponse {
  items: RecipientResponse[];
  nextCursor: string | null;
}

const iso = (d: Date | null): string | null => (d ? d.toISOString() : null);

export function toRecipientResponse(r: Recipient, position: number | null): RecipientResponse {
  return {
    id: r.id,
    circleId: r.circleId,
    alias: r.alias,
    status: r.status,
    position: r.status === 'waitlisted' ? position : null,
    waitlistedAt: iso(r.waitlistedAt),
    offeredAt: iso(r.offeredAt),
    offeredUntil: iso(r.offeredUntil),
    activatedAt: iso(r.activatedAt),
    pausedAt: iso(r.pausedAt),
    exitedAt: iso(r.exitedAt),
    exitReason: r.exitReason,
    statusChangedAt: r.statusChangedAt.toISOString(),
    erased: r.erasedAt !== null,
    createdAt: r.createdAt.toISOString(),
  };
}
