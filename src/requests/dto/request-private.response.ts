/** A request's vault fields, decrypted for an organizer; every read is recorded. */
export class RequestPrivateResponse {
  requestId: string;
  contact: string | null;
  payoutHandle: string | null;
  /** What is going on, in the requester's words. */
  note: string | null;
  updatedAt: string;
}
