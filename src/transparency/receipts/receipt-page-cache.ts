import { createHash } from 'node:crypto';

/**
 * A page of the feed as sent: its JSON encoded as UTF-8 (kept as bytes, so a cached page is
 * written out as it is, not encoded again for every reader) and, for a complete page, a
 * strong ETag of those bytes.
 */
export interface FeedPage {
  body: Buffer;
  etag?: string;
}

/** A strong ETag of a page's exact bytes, computed once when the page is cached. */
export function pageEtag(body: Buffer): string {
  return `"${createHash('sha256').update(body).digest('base64url')}"`;
}

/**
 * Complete pages of the receipt feed, as the JSON sent, most recently used kept. A page
 * with `limit` receipts and a next cursor can never change: receipts are append-only in
 * the database (invariant 8) and sequence numbers are gap-free, so the same (circle, after,
 * limit) always names the same receipts. The last page of a chain is never stored, nor a
 * page that shows a recipient's alias or a donor's name: erasure and withdrawal delete them
 * from published receipts.
 * Access is checked on every request before the cache is consulted; only the bytes are
 * shared. Bounded by `maxBytes` (FEED_CACHE_MB per process; 0 turns it off).
 */
export class ReceiptPageCache {
  private readonly pages = new Map<string, FeedPage>();
  private bytes = 0;

  constructor(private readonly maxBytes: number) {}

  static key(circleId: string, afterSeq: bigint, limit: number): string {
    return `${circleId}:${afterSeq}:${limit}`;
  }

  get(key: string): FeedPage | undefined {
    const page = this.pages.get(key);
    if (page === undefined) return undefined;
    // Map keeps insertion order: moving the page to the end keeps the order by last use.
    this.pages.delete(key);
    this.pages.set(key, page);
    return page;
  }

  set(key: string, page: FeedPage): void {
    if (page.body.length > this.maxBytes || this.pages.has(key)) return;
    this.pages.set(key, page);
    this.bytes += page.body.length;
    for (const [oldest, { body }] of this.pages) {
      if (this.bytes <= this.maxBytes) break;
      this.pages.delete(oldest);
      this.bytes -= body.length;
    }
  }

  get size(): { pages: number; bytes: number } {
    return { pages: this.pages.size, bytes: this.bytes };
  }
}
