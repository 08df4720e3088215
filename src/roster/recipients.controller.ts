import { Body, Controller, Get, HttpCode, Param, Patch, Post, Query, Res } from '@nestjs/common';
import { ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import type { AuthUser } from '../auth/auth-user.js';
import { CurrentUser } from '../auth/current-user.decorator.js';
import { IdPipe } from '../common/http/id.pipe.js';
import { DEFAULT_PAGE_LIMIT } from '../common/pagination.js';
import { CreateRecipientDto } from './dto/create-recipient.dto.js';
import { ExitRecipientDto } from './dto/exit-recipient.dto.js';
import { ListRecipientsQueryDto } from './dto/list-recipients.dto.js';
import { OfferSlotDto } from './dto/offer-slot.dto.js';
import { RecipientPageResponse, RecipientResponse } from './dto/recipient.response.js';
import { UpdateRecipientDto } from './dto/update-recipient.dto.js';
import { WaitlistPositionDto } from './dto/waitlist-position.dto.js';
import { DEFAULT_OFFER_DAYS } from './recipient-status.js';
import { RosterService } from './roster.service.js';
import { MinRole } from '../circles/min-role.decorator.js';

@ApiTags('roster')
@Controller('v1/circles/:circleId/recipients')
export class RecipientsController {
  constructor(private readonly roster: RosterService) {}

  @MinRole('organizer')
  @Post()
  @ApiOperation({ summary: 'Add a recipient to the waitlist (organizer); contact, payout handle and note go only to the encrypted vault' })
  @ApiResponse({ status: 201, type: RecipientResponse })
  async createRecipient(
    @CurrentUser() user: AuthUser,
    @Param('circleId', IdPipe) circleId: string,
    @Body() dto: CreateRecipientDto,
    @Res({ passthrough: true }) res: FastifyReply,
  ): Promise<RecipientResponse> {
    const recipient = await this.roster.create(user.id, circleId, dto);
    res.header('Location', `/v1/circles/${circleId}/recipients/${recipient.id}`);
    return recipient;
  }

  @MinRole('treasurer')
  @Get()
  @ApiOperation({ summary: 'The roster (organizer, treasurer); filter by status; never includes private data' })
  @ApiResponse({ status: 200, type: RecipientPageResponse })
  listRecipients(@CurrentUser() user: AuthUser, @Param('circleId', IdPipe) circleId: string, @Query() query: ListRecipientsQueryDto): Promise<RecipientPageResponse> {
    return this.roster.list(user.id, circleId, query.status, query.limit ?? DEFAULT_PAGE_LIMIT, query.cursor);
  }

  @MinRole('treasurer')
  @Get(':recipientId')
  @ApiOperation({ summary: 'One recipient (organizer, treasurer); never includes private data' })
  @ApiResponse({ status: 200, type: RecipientResponse })
  getRecipient(@CurrentUser() user: AuthUser, @Param('circleId', IdPipe) circleId: string, @Param('recipientId', IdPipe) recipientId: string): Promise<RecipientResponse> {
    return this.roster.get(user.id, circleId, recipientId);
  }

  @MinRole('organizer')
  @Patch(':recipientId')
  @ApiOperation({ summary: 'Change the alias (organizer)' })
  @ApiResponse({ status: 200, type: RecipientResponse })
  updateRecipient(
    @CurrentUser() user: AuthUser,
    @Param('circleId', IdPipe) circleId: string,
    @Param('recipientId', IdPipe) recipientId: string,
    @Body() dto: UpdateRecipientDto,
  ): Promise<RecipientResponse> {
    return this.roster.rename(user.id, circleId, recipientId, dto.alias);
  }

  @MinRole('organizer')
  @Post(':recipientId/offer')
  @HttpCode(200)
  @ApiOperation({ summary: 'Offer a slot to a waitlisted recipient until a deadline (organizer)' })
  @ApiResponse({ status: 200, type: RecipientResponse })
  offerSlot(
    @CurrentUser() user: AuthUser,
    @Param('circleId', IdPipe) circleId: string,
    @Param('recipientId', IdPipe) recipientId: string,
    @Body() dto: OfferSlotDto,
  ): Promise<RecipientResponse> {
    return this.roster.offer(user.id, circleId, recipientId, dto.untilDays ?? DEFAULT_OFFER_DAYS);
  }

  @MinRole('organizer')
  @Post(':recipientId/accept')
  @HttpCode(200)
  @ApiOperation({ summary: 'Record that the recipient accepted a still-valid offer: they become active (organizer)' })
  @ApiResponse({ status: 200, type: RecipientResponse })
  acceptOffer(@CurrentUser() user: AuthUser, @Param('circleId', IdPipe) circleId: string, @Param('recipientId', IdPipe) recipientId: string): Promise<RecipientResponse> {
    return this.roster.accept(user.id, circleId, recipientId);
  }

  @MinRole('organizer')
  @Post(':recipientId/decline')
  @HttpCode(200)
  @ApiOperation({ summary: 'Record that the recipient declined an offer: back to their place on the waitlist (organizer)' })
  @ApiResponse({ status: 200, type: RecipientResponse })
  declineOffer(@CurrentUser() user: AuthUser, @Param('circleId', IdPipe) circleId: string, @Param('recipientId', IdPipe) recipientId: string): Promise<RecipientResponse> {
    return this.roster.decline(user.id, circleId, recipientId);
  }

  @MinRole('organizer')
  @Post(':recipientId/pause')
  @HttpCode(200)
  @ApiOperation({ summary: 'Pause an active recipient; they keep their slot (organizer)' })
  @ApiResponse({ status: 200, type: RecipientResponse })
  pauseRecipient(@CurrentUser() user: AuthUser, @Param('circleId', IdPipe) circleId: string, @Param('recipientId', IdPipe) recipientId: string): Promise<RecipientResponse> {
    return this.roster.pause(user.id, circleId, recipientId);
  }

  @MinRole('organizer')
  @Post(':recipientId/resume')
  @HttpCode(200)
  @ApiOperation({ summary: 'Resume a paused recipient (organizer)' })
  @ApiResponse({ status: 200, type: RecipientResponse })
  resumeRecipient(@CurrentUser() user: AuthUser, @Param('circleId', IdPipe) circleId: string, @Param('recipientId', IdPipe) recipientId: string): Promise<RecipientResponse> {
    return this.roster.resume(user.id, circleId, recipientId);
  }

  @MinRole('organizer')
  @Post(':recipientId/exit')
  @HttpCode(200)
  @ApiOperation({ summary: 'Take a recipient off the roster with a reason; a freed slot is offered to the first waitlisted person (organizer)' })
  @ApiResponse({ status: 200, type: RecipientResponse })
  exitRecipient(
    @CurrentUser() user: AuthUser,
    @Param('circleId', IdPipe) circleId: string,
    @Param('recipientId', IdPipe) recipientId: string,
    @Body() dto: ExitRecipientDto,
  ): Promise<RecipientResponse> {
    return this.roster.exit(user.id, circleId, recipientId, dto.reason);
  }

  @MinRole('organizer')
  @Post(':recipientId/waitlist-position')
  @HttpCode(200)
  @ApiOperation({ summary: 'Move a waitlisted recipient to a 1-based place on the waitlist (organizer)' })
  @ApiResponse({ status: 200, type: RecipientResponse })
  moveOnWaitlist(
    @CurrentUser() user: AuthUser,
    @Param('circleId', IdPipe) circleId: string,
    @Param('recipientId', IdPipe) recipientId: string,
    @Body() dto: WaitlistPositionDto,
  ): Promise<RecipientResponse> {
    return this.roster.moveOnWaitlist(user.id, circleId, recipientId, dto.position);
  }
}
