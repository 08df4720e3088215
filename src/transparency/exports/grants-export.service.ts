import { Injectable, Logger } from '@nestjs/common';
import { CircleAccess } from '../../circles/circle-access.service.js';
import { localDate } from '../../cycles/schedule.js';
import { RequestsService } from '../../requests/requests.service.js';
import { csvBody, csvDownloadHeaders, csvFileName, type CsvDownload } from '../csv.js';
import { GRANTS_CSV_COLUMNS, grantCsvRow } from './grants-csv.js';

/** grants.csv: every grant request of the circle with its decision and payment, streamed in batches. */
@Injectable()
export class GrantsExportService {
  private readonly logger = new Logger('GrantsExport');

  constructor(
    private readonly access: CircleAccess,
    private readonly requests: RequestsService,
  ) {}

  /** Organizers and treasurers; the access check and the first batch come before the first byte. */
  async grantsCsv(userId: string, circleId: string): Promise<CsvDownload> {
    const ctx = await this.access.require(circleId, userId);
    const batches = this.requests.grantFigures(circleId);
    const first = await batches.next();
    const body = csvBody(GRANTS_CSV_COLUMNS, first, batches, (g) => grantCsvRow(g, ctx.currencyExponent), (error) =>
      this.logger.warn({ err: { type: (error as Error)?.name, message: (error as Error)?.message } }, 'grants export cut short'),
    );
    return { headers: csvDownloadHeaders(csvFileName('arvut-grants', circleId, localDate(new Date(), ctx.timezone))), body };
  }
}
