import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { AuthUser } from '../auth/auth-user.js';
import { CurrentUser } from '../auth/current-user.decorator.js';
import { IdPipe } from '../common/http/id.pipe.js';
import { DEFAULT_PAGE_LIMIT, PageQueryDto } from '../common/pagination.js';
import { CycleScheduleService } from './cycle-schedule.service.js';
import { CyclesService } from './cycles.service.js';
import { CreateCycleDto } from './dto/create-cycle.dto.js';
import { CycleScheduleResponse } from './dto/cycle-schedule.response.js';
import { CyclePageResponse, CycleResponse } from './dto/cycle.response.js';
import { SlotAssignmentPageResponse } from './dto/slot-assignment.response.js';
import { MinRole } from '../circles/min-role.decorator.js';

@ApiTags('cycles')
@Controller('v1/circles/:circleId/cycles')
export class CyclesController {
  constructor(
    private readonly cycles: CyclesService,
    private readonly schedules: CycleScheduleService,
  ) {}

  @MinRole('organizer')
  @Post()
  @ApiOperation({ summary: 'Draft a cycle: start date, weeks, weekly amount, slots, payout weekday (organizer)' })
  @ApiResponse({ status: 201, type: CycleResponse })
  createCycle(@CurrentUser() user: AuthUser, @Param('circleId', IdPipe) circleId: string, @Body() dto: CreateCycleDto): Promise<CycleResponse> {
    return this.cycles.create(user.id, circleId, dto);
  }

  @MinRole('member')
  @Get()
  @ApiOperation({ summary: 'Cycles of the circle, newest first (any member)' })
  @ApiResponse({ status: 200, type: CyclePageResponse })
  listCycles(@CurrentUser() user: AuthUser, @Param('circleId', IdPipe) circleId: string, @Query() page: PageQueryDto): Promise<CyclePageResponse> {
    return this.cycles.list(user.id, circleId, page.limit ?? DEFAULT_PAGE_LIMIT, page.cursor);
  }

  @MinRole('member')
  @Get(':cycleId')
  @ApiOperation({ summary: 'One cycle (any member)' })
  @ApiResponse({ status: 200, type: CycleResponse })
  getCycle(@CurrentUser() user: AuthUser, @Param('circleId', IdPipe) circleId: string, @Param('cycleId', IdPipe) cycleId: string): Promise<CycleResponse> {
    return this.cycles.get(user.id, circleId, cycleId);
  }

  @MinRole('organizer')
  @Post(':cycleId/activate')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Start the cycle: fill its slots from active, then offered and waitlisted recipients in queue order (organizer; one active cycle per circle)',
  })
  @ApiResponse({ status: 200, type: CycleResponse })
  activateCycle(@CurrentUser() user: AuthUser, @Param('circleId', IdPipe) circleId: string, @Param('cycleId', IdPipe) cycleId: string): Promise<CycleResponse> {
    return this.cycles.activate(user.id, circleId, cycleId);
  }

  @MinRole('organizer')
  @Post(':cycleId/close')
  @HttpCode(200)
  @ApiOperation({ summary: 'Close a draft or active cycle; recipients keep the weeks already generated (organizer)' })
  @ApiResponse({ status: 200, type: CycleResponse })
  closeCycle(@CurrentUser() user: AuthUser, @Param('circleId', IdPipe) circleId: string, @Param('cycleId', IdPipe) cycleId: string): Promise<CycleResponse> {
    return this.cycles.close(user.id, circleId, cycleId);
  }

  @MinRole('member')
  @Get(':cycleId/schedule')
  @ApiOperation({ summary: 'Each week with its payout date in the circle time zone and what is due, approved and sent (any member)' })
  @ApiResponse({ status: 200, type: CycleScheduleResponse })
  getCycleSchedule(@CurrentUser() user: AuthUser, @Param('circleId', IdPipe) circleId: string, @Param('cycleId', IdPipe) cycleId: string): Promise<CycleScheduleResponse> {
    return this.schedules.schedule(user.id, circleId, cycleId);
  }

  @MinRole('treasurer')
  @Get(':cycleId/slots')
  @ApiOperation({ summary: 'Who holds or held each slot, and for which weeks (organizer, treasurer)' })
  @ApiResponse({ status: 200, type: SlotAssignmentPageResponse })
  listCycleSlots(
    @CurrentUser() user: AuthUser,
    @Param('circleId', IdPipe) circleId: string,
    @Param('cycleId', IdPipe) cycleId: string,
    @Query() page: PageQueryDto,
  ): Promise<SlotAssignmentPageResponse> {
    return this.cycles.listSlots(user.id, circleId, cycleId, page.limit ?? DEFAULT_PAGE_LIMIT, page.cursor);
  }
}
