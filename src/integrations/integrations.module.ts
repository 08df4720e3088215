import { Module } from '@nestjs/common';
import { CirclesModule } from '../circles/circles.module.js';
import { EventsModule } from '../events/events.module.js';
import { EventFeedService } from './event-feed.service.js';
import { EventsController } from './events.controller.js';
import { WebhookDispatcher } from './webhooks/webhook-dispatcher.service.js';
import { WebhookSecrets } from './webhooks/webhook-secrets.js';
import { WebhooksController } from './webhooks/webhooks.controller.js';
import { WebhooksService } from './webhooks/webhooks.service.js';

/**
 * What integrators use: the polling feed of the outbox and webhook endpoints with their
 * deliveries. The top of the module graph: it reads the outbox, and only jobs imports it,
 * to run deliveries on pg-boss.
 */
@Module({
  imports: [CirclesModule, EventsModule],
  controllers: [EventsController, WebhooksController],
  providers: [EventFeedService, WebhookSecrets, WebhookDispatcher, WebhooksService],
  exports: [WebhookDispatcher],
})
export class IntegrationsModule {}
