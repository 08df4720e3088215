import { Body, Controller, Get, Header, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import { ApiOperation, ApiParam, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import type { AuthUser } from '../auth/auth-user.js';
import { CurrentUser } from '../auth/current-user.decorator.js';
import { IdPipe } from '../common/http/id.pipe.js';
import { Idempotent } from '../common/idempotency/idempotent.decorator.js';
import { DEFAULT_PAGE_LIMIT } from '../common/pagination.js';
import { AcknowledgementLinkResponse } from './dto/acknowledgement-link.response.js';
import { GeneratedWeekResponse } from './dto/generated-week.response.js';
import { ListPayoutsDto } from './dto/list-payouts.dto.js';
import { PayoutPageResponse } from './dto/payout-page.response.js';
import { PayoutDetailResponse, PayoutResponse } from './dto/payout.response.js';
import { SendPayoutDto } from './dto/send-payout.dto.js';
import { PayoutAcknowledgements } from './payout-acknowledgements.service.js';
import { PayoutSending } from './payout-sending.service.js';
import { PayoutsService } from './payouts.service.js';
import { WeekPayouts } from './week-payouts.service.js';
import { WeekPipe } from './week.pipe.js';
import { MinRole } from '../circles/min-role.decorator.js';

@ApiTags('payouts')
@Controller('v1/circles/:circleId')
export class PayoutsController {
  constructor(
    private readonly payouts: PayoutsService,
    private readonly weeks: WeekPayouts,
    private readonly sending: PayoutSending,
    private readonly acknowledgements: PayoutAcknowledgements,
  ) {}

  @MinRole('organizer')
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
    @Res({ passthrough: true }) res: FastifyReply,
  ): Promise<GeneratedWeekResponse> {
    const generated = await this.weeks.generateForUser(user.id, circleId, cycleId, week);
    res.status(generated.created > 0 ? 201 : 200);
    return generated;
  }

  @MinRole('treasurer')
  @Get('payouts')
  @ApiOperation({ summary: "Payouts of the circle with each recipient's alias, newest first, by cycle, week and status (organizer, treasurer)" })
  @ApiResponse({ status: 200, type: PayoutPageResponse })
  listPayouts(@CurrentUser() user: AuthUser, @Param('circleId', IdPipe) circleId: string, @Query() query: ListPayoutsDto): Promise<PayoutPageResponse> {
    return this.payouts.list(user.id, circleId, query, query.limit ?? DEFAULT_PAGE_LIMIT);
  }

  @MinRole('treasurer')
  @Get('payouts/:payoutId')
  @ApiOperation({ summary: 'One payout with its state history (organizer, treasurer)' })
  @ApiResponse({ status: 200, type: PayoutDetailResponse })
  getPayout(@CurrentUser() user: AuthUser, @Param('circleId', IdPipe) circleId: string, @Param('payoutId', IdPipe) payoutId: string): Promise<PayoutDetailResponse> {
    return this.payouts.get(user.id, circleId, payoutId);
  }

  @MinRole('organizer')
  @Post('payouts/:payoutId/approve')
  @HttpCode(200)
  @ApiOperation({ summary: 'scheduled → approved (organizer)' })
  @ApiResponse({ status: 200, type: PayoutResponse })
  approvePayout(@CurrentUser() user: AuthUser, @Param('circleId', IdPipe) circleId: string, @Param('payoutId', IdPipe) payoutId: string): Promise<PayoutResponse> {
    return this.payouts.approve(user.id, circleId, payoutId);
  }

  @MinRole('treasurer')
  @Post('payouts/:payoutId/send')
  @HttpCode(200)
  @Idempotent()
  @ApiOperation({
    summary: 'approved → sent: record how the money went out and post pool → payouts (treasurer, organizer). Then issue the recipient a link with …/acknowledgement-link.',
  })
  @ApiResponse({ status: 200, type: PayoutResponse })
  sendPayout(
    @CurrentUser() user: AuthUser,
    @Param('circleId', IdPipe) circleId: string,
    @Param('payoutId', IdPipe) payoutId: string,
    @Body() dto: SendPayoutDto,
  ): Promise<PayoutResponse> {
    return this.sending.send(user.id, circleId, payoutId, dto);
  }

  // Deliberately not @Idempotent(): a stored response for replay would keep the token in plain text.
  @MinRole('treasurer')
  @Post('payouts/:payoutId/acknowledgement-link')
  @Header('Cache-Control', 'no-store')
  @ApiOperation({
    summary:
      "Issue the recipient a one-time link to confirm a sent payout arrived (treasurer, organizer). Each call makes a new link and the previous one stops working; the token is shown only in this response.",
  })
  @ApiResponse({ status: 201, type: AcknowledgementLinkResponse })
  @ApiResponse({ status: 409, description: 'The payout is not sent (invalid-state, naming its state)' })
  issueAcknowledgementLink(
    @CurrentUser() user: AuthUser,
    @Param('circleId', IdPipe) circleId: string,
    @Param('payoutId', IdPipe) payoutId: string,
  ): Promise<AcknowledgementLinkResponse> {
    return this.acknowledgements.issueLink(user.id, circleId, payoutId);
  }

  @MinRole('treasurer')
  @Post('payouts/:payoutId/return')
  @HttpCode(200)
  @Idempotent()
  @ApiOperation({ summary: 'sent → returned: the money came back, and the ledger posting is reversed (treasurer, organizer)' })
  @ApiResponse({ status: 200, type: PayoutResponse })
  returnPayout(@CurrentUser() user: AuthUser, @Param('circleId', IdPipe) circleId: string, @Param('payoutId', IdPipe) payoutId: string): Promise<PayoutResponse> {
    return this.sending.returnPayout(user.id, circleId, payoutId);
  }

  @MinRole('organizer')
  @Post('payouts/:payoutId/cancel')
  @HttpCode(200)
  @ApiOperation({ summary: 'scheduled | approved → cancelled, e.g. the recipient left (organizer)' })
  @ApiResponse({ status: 200, type: PayoutResponse })
  cancelPayout(@CurrentUser() user: AuthUser, @Param('circleId', IdPipe) circleId: string, @Param('payoutId', IdPipe) payoutId: string): Promise<PayoutResponse> {
    return this.payouts.cancel(user.id, circleId, payoutId);
  }
}
