import { Inject, Injectable } from '@nestjs/common';
import { CircleAccess } from '../../circles/circle-access.service.js';
import { APP_CONFIG, type AppConfig } from '../../config/app-config.js';
import { DomainError } from '../../common/errors/domain-error.js';
import { decodeCursor, toPage } from '../../common/pagination.js';
import { ReceiptsService } from '../../ledger/receipts.service.js';
import { toReceiptResponse, type ReceiptPageResponse } from './dto/receipt.response.js';
import { pageEtag, ReceiptPageCache, type FeedPage } from './receipt-page-cache.js';

/** The last seq of the previous page, from its cursor; 0 for the first page. */
function afterSeq(cursor: string | undefined): bigint {
  const key = decodeCursor(cursor, 1);
  if (!key) return 0n;
  const seq = key[0];
  if (typeof seq !== 'number' || !Number.isSafeInteger(seq) || seq < 0) {
    throw new DomainError('validation-failed', 'cursor is not valid', { errors: [{ field: 'cursor', message: 'cursor is not valid' }] });
  }
  return BigInt(seq);
}

/**
 * The receipt feed: members read it; when the circle's `receiptVisibility` is `public`,
 * anyone does. Keyset pages by seq (the cursor is the last seq seen), so a page's cost does
 * not grow with its position and a page never shifts when receipts are added.
 */
@Injectable()
export class ReceiptFeedService {
  private readonly cache: ReceiptPageCache;

  constructor(
    private readonly access: CircleAccess,
    private readonly receipts: ReceiptsService,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.cache = new ReceiptPageCache(config.feedCacheBytes);
  }

  /** A page as the JSON of a ReceiptPageResponse, in UTF-8; complete pages come from ReceiptPageCache. */
  async list(userId: string | undefined, circleId: string, limit: number, cursor?: string): Promise<FeedPage> {
    await this.access.requireReader(circleId, userId);
    const after = afterSeq(cursor);
    const key = ReceiptPageCache.key(circleId, after, limit);
    const cached = this.cache.get(key);
    if (cached !== undefined) return cached;
    const rows = await this.receipts.page(circleId, after, limit + 1);
    const page: ReceiptPageResponse = toPage(rows, limit, (r) => [Number(r.seq)], toReceiptResponse);
    const body = Buffer.from(JSON.stringify(page), 'utf8');
    // Not kept: the last page (it grows) and a page showing an alias or a donor's name
    // (erasure and withdrawal remove them).
    if (page.nextCursor === null || page.items.some((r) => r.alias !== null || r.donorName !== null)) return { body };
    const complete = { body, etag: pageEtag(body) };
    this.cache.set(key, complete);
    return complete;
  }
}
