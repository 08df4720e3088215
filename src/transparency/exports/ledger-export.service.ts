import { Injectable, Logger } from '@nestjs/common';
import { CircleAccess } from '../../circles/circle-access.service.js';
import { LongReads } from '../../database/long-reads.js';
import { localDate } from '../../cycles/schedule.js';
import { LedgerService } from '../../ledger/ledger.service.js';
import { csvBodyOnLease, csvDownloadHeaders, csvFileName, type CsvDownload } from '../csv.js';
import { LEDGER_CSV_COLUMNS, ledgerCsvRow } from './ledger-csv.js';

/** Entries fetched per round trip, and so the most held in memory at once. */
const BATCH = 500;

/** ledger.csv: every entry of the circle's books, streamed from one snapshot as it is read. */
@Injectable()
export class LedgerExportService {
  private readonly logger = new Logger('LedgerExport');

  constructor(
    private readonly access: CircleAccess,
    private readonly longReads: LongReads,
    private readonly ledger: LedgerService,
  ) {}

  /**
   * Organizers and treasurers. The access check and the first batch come before the first
   * byte, so a refusal or a database failure there is an ordinary problem response.
   */
  async ledgerCsv(userId: string, circleId: string): Promise<CsvDownload> {
    const ctx = await this.access.require(circleId, userId);
    const lease = await this.longReads.acquire(userId);
    const body = await csvBodyOnLease(lease, LEDGER_CSV_COLUMNS, this.ledger.entriesInPostingOrder(circleId, BATCH, lease.runner), (line) => ledgerCsvRow(line, ctx.currency, ctx.currencyExponent), (error) =>
      this.logger.warn({ err: { type: (error as Error)?.name, message: (error as Error)?.message } }, 'ledger export cut short'),
    );
    return { headers: csvDownloadHeaders(csvFileName('arvut-ledger', circleId, localDate(new Date(), ctx.timezone))), body };
  }
}
