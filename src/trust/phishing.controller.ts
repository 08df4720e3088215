import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query, UseGuards } from '@nestjs/common';
import { ApiOperation, ApiResponse, ApiTags, ApiTooManyRequestsResponse, ApiUnauthorizedResponse } from '@nestjs/swagger';
import type { AuthUser } from '../auth/auth-user.js';
import { CurrentUser } from '../auth/current-user.decorator.js';
import { CircleReaders, MinRole } from '../circles/min-role.decorator.js';
import { Public } from '../auth/public.decorator.js';
import { IdPipe } from '../common/http/id.pipe.js';
import { OptionalAuthGuard } from '../transparency/public-read/optional-auth.guard.js';
import { OptionalUser } from '../transparency/public-read/optional-user.decorator.js';
import { PublicRead } from '../transparency/public-read/public-read.decorator.js';
import { AlertsService } from './alerts.service.js';
import { AddOfficialHandleDto, CheckHandleDto, ListAlertsDto, PostAlertDto } from './dto/trust.dto.js';
import { AlertResponse, HandleCheckResponse, OfficialHandleResponse } from './dto/trust.response.js';
import { HANDLE_CHECK_LIMIT_PER_MINUTE, HandleCheckRateLimitGuard } from './handle-check-rate-limit.guard.js';
import { OfficialHandlesService } from './official-handles.service.js';

const READERS = 'Any member; anyone when the circle has `receiptVisibility: "public"` (otherwise 404, as for a circle that does not exist).';

@ApiTags('trust')
@Controller('v1/circles/:circleId')
export class PhishingController {
  constructor(
    private readonly handles: OfficialHandlesService,
    private readonly alerts: AlertsService,
  ) {}

  @Get('official-handles')
  @PublicRead()
  @ApiOperation({ summary: 'Where donors send the circle\'s money: payment method, handle, when it was added', description: READERS })
  @ApiResponse({ status: 200, type: [OfficialHandleResponse] })
  listOfficialHandles(@OptionalUser() user: AuthUser | undefined, @Param('circleId', IdPipe) circleId: string): Promise<OfficialHandleResponse[]> {
    return this.handles.list(user?.id, circleId);
  }

  @Post('official-handles')
  @MinRole('organizer')
  @ApiOperation({ summary: 'List an official handle of the circle (organizer)' })
  @ApiResponse({ status: 201, type: OfficialHandleResponse })
  @ApiResponse({ status: 409, description: 'Already listed for this method (conflict)' })
  addOfficialHandle(@CurrentUser() user: AuthUser, @Param('circleId', IdPipe) circleId: string, @Body() dto: AddOfficialHandleDto): Promise<OfficialHandleResponse> {
    return this.handles.add(user.id, circleId, dto);
  }

  @Delete('official-handles/:handleId')
  @MinRole('organizer')
  @HttpCode(204)
  @ApiOperation({ summary: 'Remove an official handle (organizer)' })
  @ApiResponse({ status: 204, description: 'Removed' })
  removeOfficialHandle(@CurrentUser() user: AuthUser, @Param('circleId', IdPipe) circleId: string, @Param('handleId', IdPipe) handleId: string): Promise<void> {
    return this.handles.remove(user.id, circleId, handleId);
  }

  @Post('official-handles/check')
  @Public()
  @CircleReaders()
  @UseGuards(OptionalAuthGuard, HandleCheckRateLimitGuard)
  @HttpCode(200)
  @ApiOperation({ summary: '"Is this handle one of ours?" Yes or no only, ignoring case, spaces and a leading $ or @; a look-alike is no', description: `${READERS} Rate-limited per account, or per address when anonymous.` })
  @ApiResponse({ status: 200, type: HandleCheckResponse })
  @ApiUnauthorizedResponse({ description: 'unauthenticated: an Authorization header was sent but its token is invalid, expired or revoked (send none to check anonymously)' })
  @ApiTooManyRequestsResponse({ description: `rate-limited: more than ${HANDLE_CHECK_LIMIT_PER_MINUTE} checks a minute; see Retry-After` })
  checkOfficialHandle(@OptionalUser() user: AuthUser | undefined, @Param('circleId', IdPipe) circleId: string, @Body() dto: CheckHandleDto): Promise<HandleCheckResponse> {
    return this.handles.check(user?.id, circleId, dto.handle);
  }

  @Get('alerts')
  @MinRole('member')
  @ApiOperation({ summary: 'The circle\'s alerts: active ones, most severe and newest first; with includeExpired=true the expired ones after them, flagged (member)' })
  @ApiResponse({ status: 200, type: [AlertResponse] })
  listAlerts(@CurrentUser() user: AuthUser, @Param('circleId', IdPipe) circleId: string, @Query() query: ListAlertsDto): Promise<AlertResponse[]> {
    return this.alerts.list(user.id, circleId, query.includeExpired === 'true');
  }

  @Post('alerts')
  @MinRole('organizer')
  @ApiOperation({ summary: 'Post an alert to the members, with a severity, a text (no links unless allowLinks) and an expiry; emits alert.posted (organizer)' })
  @ApiResponse({ status: 201, type: AlertResponse })
  postAlert(@CurrentUser() user: AuthUser, @Param('circleId', IdPipe) circleId: string, @Body() dto: PostAlertDto): Promise<AlertResponse> {
    return this.alerts.post(user.id, circleId, dto);
  }
}
