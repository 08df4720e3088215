import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { AuthUser } from '../auth/auth-user.js';
import { CurrentUser } from '../auth/current-user.decorator.js';
import { IdPipe } from '../common/http/id.pipe.js';
import { Idempotent } from '../common/idempotency/idempotent.decorator.js';
import { DEFAULT_PAGE_LIMIT, PageQueryDto } from '../common/pagination.js';
import { ContributionsService } from './contributions.service.js';
import { ContributionPageResponse, ContributionResponse } from './dto/contribution.response.js';
import { CreateContributionDto } from './dto/create-contribution.dto.js';
import { MinRole } from '../circles/min-role.decorator.js';

@ApiTags('pledges')
@Controller('v1/circles/:circleId/contributions')
export class ContributionsController {
  constructor(private readonly contributions: ContributionsService) {}

  @MinRole('treasurer')
  @Post()
  @Idempotent()
  @ApiOperation({
    summary: 'Record money received by hand (treasurer, organizer)',
    description: 'Posts contributions → pool at once, or, when the circle requires a second approval, stays `pending` until a different treasurer or organizer approves it.',
  })
  @ApiResponse({ status: 201, type: ContributionResponse })
  createContribution(@CurrentUser() user: AuthUser, @Param('circleId', IdPipe) circleId: string, @Body() dto: CreateContributionDto): Promise<ContributionResponse> {
    return this.contributions.create(user.id, circleId, dto);
  }

  @MinRole('member')
  @Get()
  @ApiOperation({ summary: 'Contributions: all for treasurers and organizers, those of your own pledges otherwise' })
  @ApiResponse({ status: 200, type: ContributionPageResponse })
  listContributions(@CurrentUser() user: AuthUser, @Param('circleId', IdPipe) circleId: string, @Query() page: PageQueryDto): Promise<ContributionPageResponse> {
    return this.contributions.list(user.id, circleId, page.limit ?? DEFAULT_PAGE_LIMIT, page.cursor);
  }

  @MinRole('treasurer')
  @Post(':contributionId/approve')
  @HttpCode(200)
  @Idempotent()
  @ApiOperation({ summary: 'Approve a pending contribution: a second treasurer or organizer posts it to the pool' })
  @ApiResponse({ status: 200, type: ContributionResponse })
  @ApiResponse({ status: 403, description: 'forbidden: the person who recorded it cannot approve it' })
  @ApiResponse({ status: 409, description: 'invalid-state: already posted' })
  approveContribution(@CurrentUser() user: AuthUser, @Param('circleId', IdPipe) circleId: string, @Param('contributionId', IdPipe) contributionId: string): Promise<ContributionResponse> {
    return this.contributions.approve(user.id, circleId, contributionId);
  }
}
