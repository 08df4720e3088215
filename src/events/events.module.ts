import { Module } from '@nestjs/common';
import { EventsService } from './events.service.js';

/**
 * The typed event map and the outbox. Low in the module graph: every domain module may
 * import it to emit or to react, and it imports no feature module.
 */
@Module({
  providers: [EventsService],
  exports: [EventsService],
})
export class EventsModule {}
