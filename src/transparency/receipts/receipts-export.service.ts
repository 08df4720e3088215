import { Injectable, Logger } from '@nestjs/common';
import { CircleAccess } from '../../circles/circle-access.service.js';
import { localDate } from '../../cycles/schedule.js';
import { ReceiptsService } from '../../ledger/receipts.service.js';
import { csvBody, csvDownloadHeaders, csvFileName, type CsvDownload } from '../csv.js';
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
   * Organizers and treasurers. The access check and the first batch come before the first
   * byte, so a refusal or a database failure there is an ordinary problem response.
   * Receipts are append-only, so keyset batches by seq see a consistent prefix of the chain.
   */
  async receiptsCsv(userId: string, circleId: string): Promise<CsvDownload> {
    const ctx = await this.access.require(circleId, userId);
    const batches = this.receipts.all(circleId, BATCH);
    const first = await batches.next();
    const body = csvBody(RECEIPT_CSV_COLUMNS, first, batches, (receipt) => receiptCsvRow(receipt, ctx.currencyExponent), (error) =>
      this.logger.warn({ err: { type: (error as Error)?.name, message: (error as Error)?.message } }, 'receipts export cut short'),
    );
    return { headers: csvDownloadHeaders(csvFileName('arvut-receipts', circleId, localDate(new Date(), ctx.timezone))), body };
  }
}
