import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { AuthUser } from '../../auth/auth-user.js';
import { CurrentUser } from '../../auth/current-user.decorator.js';
import { MinRole } from '../../circles/min-role.decorator.js';
import { IdPipe } from '../../common/http/id.pipe.js';
import { Idempotent } from '../../common/idempotency/idempotent.decorator.js';
import { DEFAULT_PAGE_LIMIT, PageQueryDto } from '../../common/pagination.js';
import { CreateAdjustmentDto } from '../dto/create-adjustment.dto.js';
import { PendingAdjustmentPageResponse, PendingAdjustmentResponse } from './pending-adjustment.response.js';
import { PendingAdjustmentsService } from './pending-adjustments.service.js';

@ApiTags('ledger')
@Controller('v1/circles/:circleId/ledger/pending-adjustments')
export class PendingAdjustmentsController {
  constructor(private readonly pending: PendingAdjustmentsService) {}

  @MinRole('treasurer')
  @Post()
  @Idempotent()
  @ApiOperation({
    summary: 'Ask for an adjustment that a second treasurer or organizer must approve (organizer, treasurer)',
    description: "The way to post an adjustment above the circle's single-amount limit (docs/ledger.md, \"Amount limits\"); any amount may take it. Nothing is posted until a different person approves.",
  })
  @ApiResponse({ status: 201, type: PendingAdjustmentResponse })
  createPendingAdjustment(@CurrentUser() user: AuthUser, @Param('circleId', IdPipe) circleId: string, @Body() dto: CreateAdjustmentDto): Promise<PendingAdjustmentResponse> {
    return this.pending.create(user.id, circleId, dto);
  }

  @MinRole('treasurer')
  @Get()
  @ApiOperation({ summary: 'Pending, approved and rejected adjustments, newest first (organizer, treasurer)' })
  @ApiResponse({ status: 200, type: PendingAdjustmentPageResponse })
  listPendingAdjustments(@CurrentUser() user: AuthUser, @Param('circleId', IdPipe) circleId: string, @Query() page: PageQueryDto): Promise<PendingAdjustmentPageResponse> {
    return this.pending.list(user.id, circleId, page.limit ?? DEFAULT_PAGE_LIMIT, page.cursor);
  }

  @MinRole('treasurer')
  @Get(':pendingAdjustmentId')
  @ApiOperation({ summary: 'One pending adjustment (organizer, treasurer)' })
  @ApiResponse({ status: 200, type: PendingAdjustmentResponse })
  getPendingAdjustment(@CurrentUser() user: AuthUser, @Param('circleId', IdPipe) circleId: string, @Param('pendingAdjustmentId', IdPipe) id: string): Promise<PendingAdjustmentResponse> {
    return this.pending.get(user.id, circleId, id);
  }

  @MinRole('treasurer')
  @Post(':pendingAdjustmentId/approve')
  @HttpCode(200)
  @Idempotent()
  @ApiOperation({
    summary: 'Approve and post a pending adjustment (a treasurer or organizer other than the asker)',
    description: '409 second-person-required for the asker; 409 invalid-state once it is decided; 409 insufficient-funds when the pool cannot cover an outflow (it stays pending). The transfer id is the adjustment id: it is posted at most once.',
  })
  @ApiResponse({ status: 200, type: PendingAdjustmentResponse })
  approvePendingAdjustment(@CurrentUser() user: AuthUser, @Param('circleId', IdPipe) circleId: string, @Param('pendingAdjustmentId', IdPipe) id: string): Promise<PendingAdjustmentResponse> {
    return this.pending.approve(user.id, circleId, id);
  }

  @MinRole('treasurer')
  @Post(':pendingAdjustmentId/reject')
  @HttpCode(200)
  @Idempotent()
  @ApiOperation({ summary: 'Reject a pending adjustment; nothing is posted (organizer, treasurer, the asker included)' })
  @ApiResponse({ status: 200, type: PendingAdjustmentResponse })
  rejectPendingAdjustment(@CurrentUser() user: AuthUser, @Param('circleId', IdPipe) circleId: string, @Param('pendingAdjustmentId', IdPipe) id: string): Promise<PendingAdjustmentResponse> {
    return this.pending.reject(user.id, circleId, id);
  }
}
