import { Body, Controller, Get, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import { ApiOperation, ApiParam, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import type { AuthUser } from '../auth/auth-user.js';
import { CurrentUser } from '../auth/current-user.decorator.js';
import { IdPipe } from '../common/http/id.pipe.js';
import { Idempotent } from '../common/idempotency/idempotent.decorator.js';
import { DEFAULT_PAGE_LIMIT } from '../common/pagination.js';
import { GeneratedWeekResponse } from './dto/generated-week.response.js';
import { ListPayoutsDto } from './dto/list-payouts.dto.js';
import { PayoutDetailResponse, PayoutPageResponse, PayoutResponse } from './dto/payout.response.js';
import { SendPayoutDto } from './dto/send-payout.dto.js';
import { SentPayoutResponse } from './dto/sent-payout.response.js';
import { PayoutSending } from './payout-sending.service.js';
import { PayoutsService } from './payouts.service.js';
import { WeekPayouts } from './week-payouts.service.js';
import { WeekPipe } from './week.pipe.js';

@ApiTags('payouts')
@Controller('v1/circles/:circleId')
export class PayoutsController {
  constructor(
    private readonly payouts: PayoutsService,
    private readonly weeks: WeekPayouts,
    private readonly sending: PayoutSending,
  ) {}

  @Post('cycles/:cycleId/weeks/:week/payouts')
  @ApiOperation({
    summary: "Generate a week's payouts: one scheduled payout per recipient holding a slot that week (organizer; weeks in order; calling again creates nothing)",
  })
  @ApiParam({ name: 'week', schema: { type: 'integer', minimum: 1, maximum: 104 } })
  @ApiResponse({ status: 201, type: GeneratedWeekResponse, description: 'Payouts were created' })
  @ApiResponse({ status: 200, type: GeneratedWeekResponse, description: 'The week had been generated already: nothing new' })
  async generateWeekPayouts(
    @CurrentUser() user: AuthUser,
    @Param('circleId', IdPipe) circleId: string,
    @Param('cycleId', IdPipe) cycleId: string,
    @Param('week', WeekPipe) week: number,
    @Res({ passthrough: true }) res: Response,
  ): Promise<GeneratedWeekResponse> {
    const generated = await this.weeks.generateForUser(user.id, circleId, cycleId, week);
    res.status(generated.created > 0 ? 201 : 200);
    return generated;
  }

  @Get('payouts')
  @ApiOperation({ summary: 'Payouts of the circle, newest first, by cycle, week and status (organizer, treasurer)' })
  @ApiResponse({ status: 200, type: PayoutPageResponse })
  listPayouts(@CurrentUser() user: AuthUser, @Param('circleId', IdPipe) circleId: string, @Query() query: ListPayoutsDto): Promise<PayoutPageResponse> {
    return this.payouts.list(user.id, circleId, query, query.limit ?? DEFAULT_PAGE_LIMIT);
  }

  @Get('payouts/:payoutId')
  @ApiOperation({ summary: 'One payout with its state history (organizer, treasurer)' })
  @ApiResponse({ status: 200, type: PayoutDetailResponse })
  getPayout(@CurrentUser() user: AuthUser, @Param('circleId', IdPipe) circleId: string, @Param('payoutId', IdPipe) payoutId: string): Promise<PayoutDetailResponse> {
    return this.payouts.get(user.id, circleId, payoutId);
  }

  @Post('payouts/:payoutId/approve')
  @HttpCode(200)
  @ApiOperation({ summary: 'scheduled → approved (organizer)' })
  @ApiResponse({ status: 200, type: PayoutResponse })
  approvePayout(@CurrentUser() user: AuthUser, @Param('circleId', IdPipe) circleId: string, @Param('payoutId', IdPipe) payoutId: string): Promise<PayoutResponse> {
    return this.payouts.approve(user.id, circleId, payoutId);
  }

  @Post('payouts/:payoutId/send')
  @HttpCode(200)
  @Idempotent()
  @ApiOperation({
    summary: 'approved → sent: record how the money went out and post pool → payouts (treasurer, organizer). Returns the one-time acknowledgement link.',
  })
  @ApiResponse({ status: 200, type: SentPayoutResponse })
  sendPayout(
    @CurrentUser() user: AuthUser,
    @Param('circleId', IdPipe) circleId: string,
    @Param('payoutId', IdPipe) payoutId: string,
    @Body() dto: SendPayoutDto,
  ): Promise<SentPayoutResponse> {
    return this.sending.send(user.id, circleId, payoutId, dto);
  }

  @Post('payouts/:payoutId/return')
  @HttpCode(200)
  @Idempotent()
  @ApiOperation({ summary: 'sent → returned: the money came back, and the ledger posting is reversed (treasurer, organizer)' })
  @ApiResponse({ status: 200, type: PayoutResponse })
  returnPayout(@CurrentUser() user: AuthUser, @Param('circleId', IdPipe) circleId: string, @Param('payoutId', IdPipe) payoutId: string): Promise<PayoutResponse> {
    return this.sending.returnPayout(user.id, circleId, payoutId);
  }

  @Post('payouts/:payoutId/cancel')
  @HttpCode(200)
  @ApiOperation({ summary: 'scheduled | approved → cancelled, e.g. the recipient left (organizer)' })
  @ApiResponse({ status: 200, type: PayoutResponse })
  cancelPayout(@CurrentUser() user: AuthUser, @Param('circleId', IdPipe) circleId: string, @Param('payoutId', IdPipe) payoutId: string): Promise<PayoutResponse> {
    return this.payouts.cancel(user.id, circleId, payoutId);
  }
}
