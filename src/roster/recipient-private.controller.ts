import { Body, Controller, Delete, Get, HttpCode, Param, Put, Query } from '@nestjs/common';
import { ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { AuthUser } from '../auth/auth-user.js';
import { CurrentUser } from '../auth/current-user.decorator.js';
import { IdPipe } from '../common/http/id.pipe.js';
import { DEFAULT_PAGE_LIMIT, PageQueryDto } from '../common/pagination.js';
import { PrivateReadPageResponse } from './dto/private-read.response.js';
import { RecipientPrivateResponse } from './dto/recipient-private.response.js';
import { RecipientResponse } from './dto/recipient.response.js';
import { ReplaceRecipientPrivateDto } from './dto/replace-recipient-private.dto.js';
import { RecipientPrivateService } from './recipient-private.service.js';
import { MinRole } from '../circles/min-role.decorator.js';

@ApiTags('roster')
@Controller('v1/circles/:circleId/recipients/:recipientId/private')
export class RecipientPrivateController {
  constructor(private readonly privateData: RecipientPrivateService) {}

  @MinRole('organizer')
  @Get()
  @ApiOperation({ summary: 'Decrypt the recipient\'s contact, payout handle and note (organizer; every read is recorded)' })
  @ApiResponse({ status: 200, type: RecipientPrivateResponse })
  readRecipientPrivate(@CurrentUser() user: AuthUser, @Param('circleId', IdPipe) circleId: string, @Param('recipientId', IdPipe) recipientId: string): Promise<RecipientPrivateResponse> {
    return this.privateData.read(user.id, circleId, recipientId);
  }

  @MinRole('organizer')
  @Put()
  @HttpCode(204)
  @ApiOperation({ summary: 'Replace all private fields under a fresh key; omitted fields are cleared (organizer)' })
  @ApiResponse({ status: 204, description: 'Stored' })
  replaceRecipientPrivate(
    @CurrentUser() user: AuthUser,
    @Param('circleId', IdPipe) circleId: string,
    @Param('recipientId', IdPipe) recipientId: string,
    @Body() dto: ReplaceRecipientPrivateDto,
  ): Promise<void> {
    return this.privateData.replace(user.id, circleId, recipientId, dto);
  }

  @MinRole('organizer')
  @Delete()
  @ApiOperation({ summary: 'Erase: destroy the key and the private data, replace the alias with a neutral code; payouts and receipts stay (organizer)' })
  @ApiResponse({ status: 200, type: RecipientResponse })
  eraseRecipientPrivate(@CurrentUser() user: AuthUser, @Param('circleId', IdPipe) circleId: string, @Param('recipientId', IdPipe) recipientId: string): Promise<RecipientResponse> {
    return this.privateData.erase(user.id, circleId, recipientId);
  }

  @MinRole('organizer')
  @Get('reads')
  @ApiOperation({ summary: 'Who read the private data and when, newest first (organizer)' })
  @ApiResponse({ status: 200, type: PrivateReadPageResponse })
  listPrivateReads(
    @CurrentUser() user: AuthUser,
    @Param('circleId', IdPipe) circleId: string,
    @Param('recipientId', IdPipe) recipientId: string,
    @Query() page: PageQueryDto,
  ): Promise<PrivateReadPageResponse> {
    return this.privateData.listReads(user.id, circleId, recipientId, page.limit ?? DEFAULT_PAGE_LIMIT, page.cursor);
  }
}
