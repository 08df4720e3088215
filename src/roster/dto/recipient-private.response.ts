import type { VaultContents } from '../../privacy/privacy.service.js';

/** A recipient's vault contents. Organizers only; every read of this is recorded. */
export class RecipientPrivateResponse {
  recipientId: string;
  contact: string | null;
  payoutHandle: string | null;
  note: string | null;
  updatedAt: string;
}

export function toRecipientPrivateResponse(recipientId: string, v: VaultContents): RecipientPrivateResponse {
  return { recipientId, contact: v.contact, payoutHandle: v.payoutHandle, note: v.note, updatedAt: v.updatedAt.toISOString() };
}
