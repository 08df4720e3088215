import { Controller, Get, Param, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import type { AuthUser } from '../../auth/auth-user.js';
import { CurrentUser } from '../../auth/current-user.decorator.js';
import { IdPipe } from '../../common/http/id.pipe.js';
import { ReceiptsExportService } from './receipts-export.service.js';
import { MinRole } from '../../circles/min-role.decorator.js';

@ApiTags('transparency')
@Controller('v1/circles/:circleId/exports')
export class ReceiptsExportController {
  constructor(private readonly receiptsExport: ReceiptsExportService) {}

  @MinRole('treasurer')
  @Get('receipts.csv')
  @ApiOperation({
    summary: "Download the circle's receipts as CSV, in chain order (organizer, treasurer)",
    description:
      'Streamed, one row per receipt with its hashes, amounts in minor units with a decimal column beside them; cells a spreadsheet would read as a formula are prefixed with a single quote. Columns: docs/receipts.md.',
  })
  @ApiProduces('text/csv')
  @ApiOkResponse({
    description: 'The CSV file (UTF-8, CRLF line ends, a header row), sent as an attachment.',
    content: { 'text/csv': { schema: { type: 'string' } } },
    headers: { 'Content-Disposition': { description: 'attachment; filename="arvut-receipts-{circleId}-{date}.csv"', schema: { type: 'string' } } },
  })
  async exportReceiptsCsv(@CurrentUser() user: AuthUser, @Param('circleId', IdPipe) circleId: string, @Res() res: FastifyReply): Promise<void> {
    const csv = await this.receiptsExport.receiptsCsv(user.id, circleId);
    res.status(200).headers(csv.headers).send(csv.body);
  }
}
