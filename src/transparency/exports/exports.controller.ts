import { Controller, Get, Param, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import type { AuthUser } from '../../auth/auth-user.js';
import { CurrentUser } from '../../auth/current-user.decorator.js';
import { IdPipe } from '../../common/http/id.pipe.js';
import { GrantsExportService } from './grants-export.service.js';
import { LedgerExportService } from './ledger-export.service.js';
import { MinRole } from '../../circles/min-role.decorator.js';

@ApiTags('transparency')
@Controller('v1/circles/:circleId/exports')
export class ExportsController {
  constructor(
    private readonly ledgerExport: LedgerExportService,
    private readonly grantsExport: GrantsExportService,
  ) {}

  @MinRole('treasurer')
  @Get('ledger.csv')
  @ApiOperation({
    summary: "Download the circle's books as CSV, one row per ledger entry (organizer, treasurer)",
    description:
      'Streamed from one consistent snapshot, oldest transfer first. Amounts are integers in minor units with a decimal column beside them; ' +
      'cells a spreadsheet would read as a formula are prefixed with a single quote. Columns: docs/transparency.md.',
  })
  @ApiProduces('text/csv')
  @ApiOkResponse({
    description: 'The CSV file (UTF-8, CRLF line ends, a header row), sent as an attachment.',
    content: { 'text/csv': { schema: { type: 'string' } } },
    headers: { 'Content-Disposition': { description: 'attachment; filename="arvut-ledger-{circleId}-{date}.csv"', schema: { type: 'string' } } },
  })
  async exportLedgerCsv(@CurrentUser() user: AuthUser, @Param('circleId', IdPipe) circleId: string, @Res() res: FastifyReply): Promise<void> {
    const csv = await this.ledgerExport.ledgerCsv(user.id, circleId);
    res.status(200).headers(csv.headers).send(csv.body);
  }

  @MinRole('treasurer')
  @Get('grants.csv')
  @ApiOperation({
    summary: "Download the circle's grants as CSV, one row per grant request with its decision and payment (organizer, treasurer)",
    description: 'Figures only: no alias, requester, referrer or anything from the vault. Amounts in minor units with a decimal column beside them. Columns: docs/grants.md.',
  })
  @ApiProduces('text/csv')
  @ApiOkResponse({
    description: 'The CSV file (UTF-8, CRLF line ends, a header row), sent as an attachment.',
    content: { 'text/csv': { schema: { type: 'string' } } },
    headers: { 'Content-Disposition': { description: 'attachment; filename="arvut-grants-{circleId}-{date}.csv"', schema: { type: 'string' } } },
  })
  async exportGrantsCsv(@CurrentUser() user: AuthUser, @Param('circleId', IdPipe) circleId: string, @Res() res: FastifyReply): Promise<void> {
    const csv = await this.grantsExport.grantsCsv(user.id, circleId);
    res.status(200).headers(csv.headers).send(csv.body);
  }
}
