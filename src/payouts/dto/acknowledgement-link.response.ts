/**
 * A fresh one-time acknowledgement link. Pass it to the recipient privately: it works once,
 * until it expires, and only until a newer link is issued for the same payout.
 */
export class AcknowledgementLinkResponse {
  /** One-time secret for the recipient. Shown only here: arvut stores its SHA-256, never the token. */
  token: string;
  /** What the recipient POSTs to (no account needed) to confirm the money arrived. */
  path: string;
  expiresAt: string;
}
