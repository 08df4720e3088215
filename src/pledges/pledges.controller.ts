import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { AuthUser } from '../auth/auth-user.js';
import { CurrentUser } from '../auth/current-user.decorator.js';
import { IdPipe } from '../common/http/id.pipe.js';
import { Idempotent } from '../common/idempotency/idempotent.decorator.js';
import { DEFAULT_PAGE_LIMIT, PageQueryDto } from '../common/pagination.js';
import { CreatePledgeDto } from './dto/create-pledge.dto.js';
import { CreatedPledgeResponse, PledgePageResponse, PledgeResponse } from './dto/pledge.response.js';
import { PledgesService } from './pledges.service.js';
import { MinRole } from '../circles/min-role.decorator.js';

@ApiTags('pledges')
@Controller('v1/circles/:circleId/pledges')
export class PledgesController {
  constructor(private readonly pledges: PledgesService) {}

  @MinRole('member')
  @Post()
  @Idempotent()
  @ApiOperation({
    summary: 'Pledge a weekly amount (any member; you become the pledge\'s donor)',
    description: 'A card pledge is `pending` until its Stripe Checkout completes: send the donor to `checkoutUrl`. Without Stripe keys on the server, card pledges are 503 payments-not-configured. A manual pledge is `active` at once.',
  })
  @ApiResponse({ status: 201, type: CreatedPledgeResponse })
  @ApiResponse({ status: 503, description: 'payments-not-configured (card pledges on a server without Stripe keys), or Stripe unreachable' })
  createPledge(@CurrentUser() user: AuthUser, @Param('circleId', IdPipe) circleId: string, @Body() dto: CreatePledgeDto): Promise<CreatedPledgeResponse> {
    return this.pledges.create(user.id, circleId, dto);
  }

  @MinRole('member')
  @Get()
  @ApiOperation({ summary: 'Pledges: your own, or all of them for treasurers and organizers (with donor emails)' })
  @ApiResponse({ status: 200, type: PledgePageResponse })
  listPledges(@CurrentUser() user: AuthUser, @Param('circleId', IdPipe) circleId: string, @Query() page: PageQueryDto): Promise<PledgePageResponse> {
    return this.pledges.list(user.id, circleId, page.limit ?? DEFAULT_PAGE_LIMIT, page.cursor);
  }

  @MinRole('member')
  @Get(':pledgeId')
  @ApiOperation({ summary: 'One pledge: your own, or any for treasurers and organizers' })
  @ApiResponse({ status: 200, type: PledgeResponse })
  getPledge(@CurrentUser() user: AuthUser, @Param('circleId', IdPipe) circleId: string, @Param('pledgeId', IdPipe) pledgeId: string): Promise<PledgeResponse> {
    return this.pledges.get(user.id, circleId, pledgeId);
  }

  @MinRole('member')
  @Post(':pledgeId/pause')
  @HttpCode(200)
  @ApiOperation({ summary: 'Pause an active pledge (the donor or an organizer); card collection stops' })
  @ApiResponse({ status: 200, type: PledgeResponse })
  @ApiResponse({ status: 409, description: 'invalid-state: only an active pledge can be paused' })
  pausePledge(@CurrentUser() user: AuthUser, @Param('circleId', IdPipe) circleId: string, @Param('pledgeId', IdPipe) pledgeId: string): Promise<PledgeResponse> {
    return this.pledges.pause(user.id, circleId, pledgeId);
  }

  @MinRole('member')
  @Post(':pledgeId/resume')
  @HttpCode(200)
  @ApiOperation({ summary: 'Resume a paused pledge (the donor or an organizer)' })
  @ApiResponse({ status: 200, type: PledgeResponse })
  @ApiResponse({ status: 409, description: 'invalid-state: only a paused pledge can be resumed' })
  resumePledge(@CurrentUser() user: AuthUser, @Param('circleId', IdPipe) circleId: string, @Param('pledgeId', IdPipe) pledgeId: string): Promise<PledgeResponse> {
    return this.pledges.resume(user.id, circleId, pledgeId);
  }

  @MinRole('member')
  @Post(':pledgeId/cancel')
  @HttpCode(200)
  @ApiOperation({ summary: 'Cancel a pledge for good (the donor or an organizer); a card subscription is cancelled at Stripe' })
  @ApiResponse({ status: 200, type: PledgeResponse })
  @ApiResponse({ status: 409, description: 'invalid-state: the pledge has already ended' })
  cancelPledge(@CurrentUser() user: AuthUser, @Param('circleId', IdPipe) circleId: string, @Param('pledgeId', IdPipe) pledgeId: string): Promise<PledgeResponse> {
    return this.pledges.cancel(user.id, circleId, pledgeId);
  }
}
