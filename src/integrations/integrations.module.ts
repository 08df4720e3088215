import { Module } from '@nestjs/common';
import { CirclesModule } from '../circles/circles.module.js';
import { EventFeedService } from './event-feed.service.js';
import { EventsController } from './events.controller.js';

/**
 * What integrators use: the polling feed of the outbox. The top of the module graph:
 * it reads the outbox, and nothing imports it.
 */
@Module({
  imports: [CirclesModule],
  controllers: [EventsController],
  providers: [EventFeedService],
})
export class IntegrationsModule {}
