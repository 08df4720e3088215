import { Controller, Get, Param } from '@nestjs/common';
import { ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { AuthUser } from '../../auth/auth-user.js';
import { IdPipe } from '../../common/http/id.pipe.js';
import { OptionalUser } from '../public-read/optional-user.decorator.js';
import { PublicRead } from '../public-read/public-read.decorator.js';
import { CycleReportResponse } from './dto/cycle-report.response.js';
import { ReportsService } from './reports.service.js';

@ApiTags('transparency')
@Controller('v1/circles/:circleId/reports')
export class ReportsController {
  constructor(private readonly reports: ReportsService) {}

  @Get('cycles/:cycleId')
  @PublicRead()
  @ApiOperation({
    summary: 'Week by week, where a cycle\'s money came from and went, and what it achieved (any member; anyone when the circle\'s receipts are public)',
    description:
      'Money in and out, the pool and coverage per week; recipients served, payouts sent and acknowledged, exits by reason, median days on the waitlist and donor retention. ' +
      'Aggregates only: no recipient, alias or donor. Counts below 3 read "<3" for everyone but organizers. ' +
      'Without a token the circle must have `receiptVisibility: "public"` (otherwise 404, as for a circle that does not exist); anonymous readers are rate-limited.',
  })
  @ApiResponse({ status: 200, type: CycleReportResponse })
  getCycleReport(@OptionalUser() user: AuthUser | undefined, @Param('circleId', IdPipe) circleId: string, @Param('cycleId', IdPipe) cycleId: string): Promise<CycleReportResponse> {
    return this.reports.cycleReport(user?.id, circleId, cycleId);
  }
}
