import { Injectable, Logger } from '@nestjs/common';
import type { Response } from 'express';
import { CircleAccess } from '../../circles/circle-access.service.js';
import { localDate } from '../../cycles/schedule.js';
import type { ReceiptRecord } from '../../ledger/receipt-types.js';
import { ReceiptsService } from '../../ledger/receipts.service.js';
import { csvDownloadHeaders, csvFileName, CsvWriter } from '../csv.js';
import { RECEIPT_CSV_COLUMNS, receiptCsvRow } from './receipt-csv.js';

/** Receipts read per round trip, and so the most held in memory at once. */
const BATCH = 1000;

/** receipts.csv: the circle's whole chain, streamed in chain order as it is read. */
@Injectable()
export class ReceiptsExportService {
  private readonly logger = new Logger('ReceiptsExport');

  constructor(
    private readonly access: CircleAccess,
    private readonly receipts: ReceiptsService,
  ) {}

  /**
   * Organizers and treasurers. The access check comes before the first byte, so a refusal
   * is an ordinary problem response; a failure once rows flow cuts the download short.
   * Receipts are append-only, so keyset batches by seq see a consistent prefix of the chain.
   */
  async writeReceiptsCsv(userId: string, circleId: string, res: Response): Promise<void> {
    const ctx = await this.access.require(circleId, userId, 'treasurer');
    const batches = this.receipts.all(circleId, BATCH);
    // The first read before the headers: a database failure here is still a problem response.
    const first = await batches.next();
    res.status(200).set(csvDownloadHeaders(csvFileName('arvut-receipts', circleId, localDate(new Date(), ctx.timezone))));
    const writer = new CsvWriter(res, RECEIPT_CSV_COLUMNS);
    const rows = (batch: ReceiptRecord[]) => batch.map((r) => receiptCsvRow(r, ctx.currencyExponent));
    try {
      if (!first.done) {
        await writer.writeRows(rows(first.value));
        for await (const batch of batches) await writer.writeRows(rows(batch));
      }
      await writer.end();
    } catch (error) {
      await batches.return(undefined);
      res.destroy();
      this.logger.warn({ err: { type: (error as Error)?.name, message: (error as Error)?.message } }, 'receipts export cut short');
    }
  }
}
