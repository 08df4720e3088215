import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { AuthModule } from '../auth/auth.module.js';
import { RateLimitModule } from '../common/rate-limit/rate-limit.module.js';
import { ApiKeysController } from './api-keys.controller.js';
import { ApiKeysService } from './api-keys.service.js';
import { EventsModule } from '../events/events.module.js';
import { CircleAccessPrefetch } from './circle-access-prefetch.js';
import { CircleAccess } from './circle-access.service.js';
import { CircleFactsService } from './circle-facts.service.js';
import { CirclesController } from './circles.controller.js';
import { CirclesService } from './circles.service.js';
import { InvitesController } from './invites.controller.js';
import { InvitesService } from './invites.service.js';
import { MembersController } from './members.controller.js';
import { MembersService } from './members.service.js';
import { RouteRoleGuard } from './route-role.guard.js';

@Module({
  imports: [AuthModule, EventsModule, RateLimitModule],
  controllers: [CirclesController, MembersController, InvitesController, ApiKeysController],
  providers: [{ provide: APP_GUARD, useClass: RouteRoleGuard }, ApiKeysService, CircleAccess, CircleAccessPrefetch, CircleFactsService, CirclesService, MembersService, InvitesService],
  exports: [CircleAccess, CircleFactsService, CirclesService, MembersService],
})
export class CirclesModule {}
