import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { AuthUser } from '../auth/auth-user.js';
import { CurrentUser } from '../auth/current-user.decorator.js';
import { IdPipe } from '../common/http/id.pipe.js';
import { DEFAULT_PAGE_LIMIT } from '../common/pagination.js';
import { EventPageResponse } from './dto/event.response.js';
import { ListEventsDto } from './dto/list-events.dto.js';
import { EventFeedService } from './event-feed.service.js';
import { MinRole } from '../circles/min-role.decorator.js';

@ApiTags('events')
@Controller('v1/circles/:circleId/events')
export class EventsController {
  constructor(private readonly feed: EventFeedService) {}

  @MinRole('member')
  @Get()
  @ApiOperation({
    summary: "The circle's domain events after a sequence number, oldest first (member; roster, payout, pledge and contribution events for treasurers and organizers)",
  })
  @ApiResponse({ status: 200, type: EventPageResponse })
  listEvents(@CurrentUser() user: AuthUser, @Param('circleId', IdPipe) circleId: string, @Query() query: ListEventsDto): Promise<EventPageResponse> {
    return this.feed.list(user.id, circleId, query.after ?? 0, query.limit ?? DEFAULT_PAGE_LIMIT);
  }
}
