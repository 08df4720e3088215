import type { VaultReadRecord } from '../../privacy/privacy.service.js';

/** One recorded read of a recipient's vault: who and when, not what. */
export class PrivateReadResponse {
  id: string;
  /** The user (organizer) who read it. */
  readBy: string;
  readAt: string;
}

export class PrivateReadPageResponse {
  items: PrivateReadResponse[];
  nextCursor: string | null;
}

export function toPrivateReadResponse(r: VaultReadRecord): PrivateReadResponse {
  return { id: r.id, readBy: r.readBy, readAt: r.readAt.toISOString() };
}
