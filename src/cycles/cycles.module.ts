import { Module } from '@nestjs/common';
import { CirclesModule } from '../circles/circles.module.js';
import { EventsModule } from '../events/events.module.js';
import { RosterModule } from '../roster/roster.module.js';
import { CycleScheduleService } from './cycle-schedule.service.js';
import { CycleWeeks } from './cycle-weeks.service.js';
import { CyclesController } from './cycles.controller.js';
import { CyclesService } from './cycles.service.js';
import { SlotAssignments } from './slot-assignments.service.js';

/** Cycles, their slots and schedules. Sits above the roster, whose status changes move the slots. */
@Module({
  imports: [CirclesModule, EventsModule, RosterModule],
  controllers: [CyclesController],
  providers: [CyclesService, CycleScheduleService, CycleWeeks, SlotAssignments],
  exports: [CyclesService, CycleScheduleService, CycleWeeks],
})
export class CyclesModule {}
