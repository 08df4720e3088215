import { Injectable, Logger } from '@nestjs/common';
import type { Response } from 'express';
import { CircleAccess } from '../../circles/circle-access.service.js';
import { localDate } from '../../cycles/schedule.js';
import { LedgerService } from '../../ledger/ledger.service.js';
import { csvDownloadHeaders, csvFileName, CsvWriter } from '../csv.js';
import { LEDGER_CSV_COLUMNS, ledgerCsvRow } from './ledger-csv.js';

/** Entries fetched per round trip, and so the most held in memory at once. */
const BATCH = 500;

/** ledger.csv: every entry of the circle's books, streamed from one snapshot as it is read. */
@Injectable()
export class LedgerExportService {
  private readonly logger = new Logger('LedgerExport');

  constructor(
    private readonly access: CircleAccess,
    private readonly ledger: LedgerService,
  ) {}

  /**
   * Organizers and treasurers. The access check comes before the first byte, so a refusal
   * is an ordinary problem response; a failure once rows are flowing can only cut the
   * download short, which the client sees as an incomplete response, never as a whole file.
   */
  async writeLedgerCsv(userId: string, circleId: string, res: Response): Promise<void> {
    const ctx = await this.access.require(circleId, userId, 'treasurer');
    const lines = this.ledger.entriesInPostingOrder(circleId, BATCH);
    const first = await lines.next();
    res.status(200).set(csvDownloadHeaders(csvFileName('arvut-ledger', circleId, localDate(new Date(), ctx.timezone))));
    const writer = new CsvWriter(res, LEDGER_CSV_COLUMNS);
    try {
      if (!first.done) {
        await writer.writeRows(first.value.map((line) => ledgerCsvRow(line, ctx.currency, ctx.currencyExponent)));
        for await (const batch of lines) await writer.writeRows(batch.map((line) => ledgerCsvRow(line, ctx.currency, ctx.currencyExponent)));
      }
      await writer.end();
    } catch (error) {
      // Closes the cursor (when the loop did not already) and drops the connection mid-file.
      await lines.return(undefined);
      res.destroy();
      if (res.headersSent && !res.writableFinished) this.logger.warn({ err: { type: (error as Error)?.name, message: (error as Error)?.message } }, 'ledger export cut short');
    }
  }
}
