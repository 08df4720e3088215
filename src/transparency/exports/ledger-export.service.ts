import { Injectable, Logger } from '@nestjs/common';
import { CircleAccess } from '../../circles/circle-access.service.js';
import { localDate } from '../../cycles/schedule.js';
import { LedgerService } from '../../ledger/ledger.service.js';
import { csvBody, csvDownloadHeaders, csvFileName, type CsvDownload } from '../csv.js';
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
   * Organizers and treasurers. The access check and the first batch come before the first
   * byte, so a refusal or a database failure there is an ordinary problem response.
   */
  async ledgerCsv(userId: string, circleId: string): Promise<CsvDownload> {
    const ctx = await this.access.require(circleId, userId);
    const lines = this.ledger.entriesInPostingOrder(circleId, BATCH);
    const first = await lines.next();
    const body = csvBody(LEDGER_CSV_COLUMNS, first, lines, (line) => ledgerCsvRow(line, ctx.currency, ctx.currencyExponent), (error) =>
      this.logger.warn({ err: { type: (error as Error)?.name, message: (error as Error)?.message } }, 'ledger export cut short'),
    );
    return { headers: csvDownloadHeaders(csvFileName('arvut-ledger', circleId, localDate(new Date(), ctx.timezone))), body };
  }
}
