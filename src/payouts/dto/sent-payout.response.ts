import { PayoutResponse } from './payout.response.js';

export class AcknowledgementLinkResponse {
  /** One-time secret for the recipient. Shown only here: arvut stores its hash. */
  token: string;
  /** What the recipient POSTs to (no account needed) to confirm the money arrived. */
  path: string;
  expiresAt: string;
}

export class SentPayoutResponse extends PayoutResponse {
  /** Pass the link to the recipient privately; it works once, until it expires. */
  acknowledgement: AcknowledgementLinkResponse;
}
