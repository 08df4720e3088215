import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { AuthUser } from '../auth/auth-user.js';
import { CurrentUser } from '../auth/current-user.decorator.js';
import { IdPipe } from '../common/http/id.pipe.js';
import { DEFAULT_PAGE_LIMIT, PageQueryDto } from '../common/pagination.js';
import { AcceptedInviteResponse } from './dto/accepted-invite.response.js';
import { CreateInviteDto } from './dto/create-invite.dto.js';
import { CreatedInviteResponse, InvitePageResponse } from './dto/invite.response.js';
import { InvitesService } from './invites.service.js';
import { MinRole } from './min-role.decorator.js';

@ApiTags('circles')
@Controller('v1')
export class InvitesController {
  constructor(private readonly invites: InvitesService) {}

  @MinRole('organizer')
  @Post('circles/:circleId/invites')
  @ApiOperation({ summary: 'Create a single-use invite for a role (organizer)' })
  @ApiResponse({ status: 201, type: CreatedInviteResponse })
  createInvite(@CurrentUser() user: AuthUser, @Param('circleId', IdPipe) circleId: string, @Body() dto: CreateInviteDto): Promise<CreatedInviteResponse> {
    return this.invites.create(user.id, circleId, dto);
  }

  @MinRole('organizer')
  @Get('circles/:circleId/invites')
  @ApiOperation({ summary: 'Invites of the circle, newest first (organizer)' })
  @ApiResponse({ status: 200, type: InvitePageResponse })
  listInvites(@CurrentUser() user: AuthUser, @Param('circleId', IdPipe) circleId: string, @Query() page: PageQueryDto): Promise<InvitePageResponse> {
    return this.invites.list(user.id, circleId, page.limit ?? DEFAULT_PAGE_LIMIT, page.cursor);
  }

  @MinRole('organizer')
  @Delete('circles/:circleId/invites/:inviteId')
  @HttpCode(204)
  @ApiOperation({ summary: 'Revoke an unused invite (organizer)' })
  @ApiResponse({ status: 204, description: 'Revoked' })
  revokeInvite(@CurrentUser() user: AuthUser, @Param('circleId', IdPipe) circleId: string, @Param('inviteId', IdPipe) inviteId: string): Promise<void> {
    return this.invites.revoke(user.id, circleId, inviteId);
  }

  @Post('invites/:token/accept')
  @HttpCode(200)
  @ApiOperation({ summary: 'Join the circle of an invite as yourself' })
  @ApiResponse({ status: 200, type: AcceptedInviteResponse })
  acceptInvite(@CurrentUser() user: AuthUser, @Param('token') token: string): Promise<AcceptedInviteResponse> {
    return this.invites.accept(user.id, token);
  }
}
