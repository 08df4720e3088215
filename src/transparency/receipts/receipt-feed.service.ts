import { Injectable } from '@nestjs/common';
import { CircleAccess } from '../../circles/circle-access.service.js';
import { DomainError } from '../../common/errors/domain-error.js';
import { decodeCursor, toPage } from '../../common/pagination.js';
import { ReceiptsService } from '../../ledger/receipts.service.js';
import { toReceiptResponse, type ReceiptPageResponse } from './dto/receipt.response.js';

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
  constructor(
    private readonly access: CircleAccess,
    private readonly receipts: ReceiptsService,
  ) {}

  async list(userId: string | undefined, circleId: string, limit: number, cursor?: string): Promise<ReceiptPageResponse> {
    await this.access.requireReader(circleId, userId);
    const rows = await this.receipts.page(circleId, afterSeq(cursor), limit + 1);
    return toPage(rows, limit, (r) => [Number(r.seq)], toReceiptResponse);
  }
}
