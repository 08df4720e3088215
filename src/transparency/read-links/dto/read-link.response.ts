/** A link that opens the circle's page for you, in a browser, for a short while. */
export class ReadLinkResponse {
  /** The page's path on this server, with the link's secret: open it as it is, share it with no one. @example "/circle/4b0c8e6a-2f1d-4c3b-9a7e-6d5f4e3c2b1a?read=…" */
  path: string;
  /** When the link stops working (60 minutes after it was issued). */
  expiresAt: string;
}
