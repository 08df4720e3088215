import { Controller, Get, Param } from '@nestjs/common';
import { ApiOperation, ApiParam, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { AuthUser } from '../../auth/auth-user.js';
import { IdPipe } from '../../common/http/id.pipe.js';
import { OptionalUser } from '../public-read/optional-user.decorator.js';
import { PublicRead } from '../public-read/public-read.decorator.js';
import { GrantReportResponse } from './dto/grant-report.response.js';
import { GrantReportsService } from './grant-reports.service.js';

const DESCRIPTION =
  'Requests by kind and category, amounts asked and granted, approvals and payments, median days to decision and to payment, decline reasons, and referrals vs self-requests vs organizers. ' +
  'Aggregates only: no request, alias, requester or referrer. Counts below 3 read "<3", and amounts and medians built from fewer than 3 are null, for everyone but organizers. ' +
  'Without a token the circle must have `receiptVisibility: "public"` (otherwise 404); anonymous readers are rate-limited.';

@ApiTags('transparency')
@Controller('v1/circles/:circleId/reports/grants')
export class GrantReportsController {
  constructor(private readonly reports: GrantReportsService) {}

  @Get('months/:month')
  @PublicRead()
  @ApiParam({ name: 'month', schema: { type: 'string', pattern: '^\\d{4}-(0[1-9]|1[0-2])$', example: '2026-03' }, description: 'A calendar month in the circle\'s time zone.' })
  @ApiOperation({ summary: 'Requests for help and grants opened in a calendar month (any member; anyone when the circle\'s receipts are public)', description: DESCRIPTION })
  @ApiResponse({ status: 200, type: GrantReportResponse })
  getMonthGrantReport(@OptionalUser() user: AuthUser | undefined, @Param('circleId', IdPipe) circleId: string, @Param('month') month: string): Promise<GrantReportResponse> {
    return this.reports.month(user?.id, circleId, month);
  }

  @Get('cycles/:cycleId')
  @PublicRead()
  @ApiOperation({ summary: 'Requests for help and grants opened during a cycle\'s weeks (any member; anyone when the circle\'s receipts are public)', description: DESCRIPTION })
  @ApiResponse({ status: 200, type: GrantReportResponse })
  getCycleGrantReport(@OptionalUser() user: AuthUser | undefined, @Param('circleId', IdPipe) circleId: string, @Param('cycleId', IdPipe) cycleId: string): Promise<GrantReportResponse> {
    return this.reports.cycle(user?.id, circleId, cycleId);
  }
}
