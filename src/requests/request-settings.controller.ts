import { Body, Controller, Get, Param, Put } from '@nestjs/common';
import { ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { AuthUser } from '../auth/auth-user.js';
import { CurrentUser } from '../auth/current-user.decorator.js';
import { IdPipe } from '../common/http/id.pipe.js';
import { RequestSettingsDto, RequestSettingsResponse } from './dto/request-settings.dto.js';
import { GrantFunds, GrantFundsResponse } from './grant-funds.service.js';
import { RequestSettingsService } from './request-settings.service.js';
import { MinRole } from '../circles/min-role.decorator.js';

@ApiTags('requests')
@Controller('v1/circles/:circleId')
export class RequestSettingsController {
  constructor(
    private readonly settings: RequestSettingsService,
    private readonly funds: GrantFunds,
  ) {}

  @MinRole('member')
  @Get('request-settings')
  @ApiOperation({ summary: 'The circle\'s grant budget per month, two-person threshold and attachment switch (any member)' })
  @ApiResponse({ status: 200, type: RequestSettingsResponse })
  getRequestSettings(@CurrentUser() user: AuthUser, @Param('circleId', IdPipe) circleId: string): Promise<RequestSettingsResponse> {
    return this.settings.get(user.id, circleId);
  }

  @MinRole('organizer')
  @Put('request-settings')
  @ApiOperation({ summary: 'Set the grant budget per month, the two-person threshold and whether requests may carry attachments (organizer)' })
  @ApiResponse({ status: 200, type: RequestSettingsResponse })
  putRequestSettings(@CurrentUser() user: AuthUser, @Param('circleId', IdPipe) circleId: string, @Body() dto: RequestSettingsDto): Promise<RequestSettingsResponse> {
    return this.settings.put(user.id, circleId, dto);
  }

  @MinRole('member')
  @Get('grant-funds')
  @ApiOperation({ summary: 'The pool, what approved and unpaid grants reserve of it, and what this month\'s grant budget leaves (any member)' })
  @ApiResponse({ status: 200, type: GrantFundsResponse })
  getGrantFunds(@CurrentUser() user: AuthUser, @Param('circleId', IdPipe) circleId: string): Promise<GrantFundsResponse> {
    return this.funds.get(user.id, circleId);
  }
}
