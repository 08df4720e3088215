import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Query } from '@nestjs/common';
import { ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { AuthUser } from '../auth/auth-user.js';
import { CurrentUser } from '../auth/current-user.decorator.js';
import { IdPipe } from '../common/http/id.pipe.js';
import { DEFAULT_PAGE_LIMIT, PageQueryDto } from '../common/pagination.js';
import { MemberPageResponse, MemberResponse } from './dto/member.response.js';
import { UpdateMemberDto } from './dto/update-member.dto.js';
import { MembersService } from './members.service.js';
import { MinRole } from './min-role.decorator.js';

@ApiTags('circles')
@Controller('v1/circles/:circleId/members')
export class MembersController {
  constructor(private readonly members: MembersService) {}

  @MinRole('member')
  @Get()
  @ApiOperation({ summary: 'Members and their roles (emails shown to organizers only)' })
  @ApiResponse({ status: 200, type: MemberPageResponse })
  listMembers(@CurrentUser() user: AuthUser, @Param('circleId', IdPipe) circleId: string, @Query() page: PageQueryDto): Promise<MemberPageResponse> {
    return this.members.list(user.id, circleId, page.limit ?? DEFAULT_PAGE_LIMIT, page.cursor);
  }

  @MinRole('organizer')
  @Patch(':userId')
  @ApiOperation({ summary: 'Change a member\'s role (organizer)' })
  @ApiResponse({ status: 200, type: MemberResponse })
  updateMember(
    @CurrentUser() user: AuthUser,
    @Param('circleId', IdPipe) circleId: string,
    @Param('userId', IdPipe) memberId: string,
    @Body() dto: UpdateMemberDto,
  ): Promise<MemberResponse> {
    return this.members.changeRole(user.id, circleId, memberId, dto.role);
  }

  @MinRole('member')
  @Delete(':userId')
  @HttpCode(204)
  @ApiOperation({ summary: 'Remove a member (organizer), or leave the circle yourself' })
  @ApiResponse({ status: 204, description: 'Removed' })
  removeMember(@CurrentUser() user: AuthUser, @Param('circleId', IdPipe) circleId: string, @Param('userId', IdPipe) memberId: string): Promise<void> {
    return this.members.remove(user.id, circleId, memberId);
  }
}
