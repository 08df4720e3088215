import { Module, type OnModuleInit } from '@nestjs/common';
import { CirclesModule } from '../circles/circles.module.js';
import { registerDatabaseProblems } from '../common/errors/database-problems.js';
import { RateLimitModule } from '../common/rate-limit/rate-limit.module.js';
import { EventsModule } from '../events/events.module.js';
import { PrivacyModule } from '../privacy/privacy.module.js';
import { RequestsModule } from '../requests/requests.module.js';
import { RosterModule } from '../roster/roster.module.js';
import { AlertsService } from './alerts.service.js';
import { DuplicatesController } from './duplicates.controller.js';
import { DuplicatesService } from './duplicates.service.js';
import { HandleCheckRateLimitGuard } from './handle-check-rate-limit.guard.js';
import { NetworksService } from './networks.service.js';
import { OfficialHandlesService } from './official-handles.service.js';
import { PhishingController } from './phishing.controller.js';
import { trustProblems } from './trust-problems.js';

/**
 * Trust across requests and circles (docs/trust.md): duplicate checks by keyed digest within a
 * circle and its network, official handles and alerts against phishing. Above requests and
 * the roster, whose subjects it checks; the digests themselves are written by privacy.
 */
@Module({
  imports: [EventsModule, CirclesModule, PrivacyModule, RosterModule, RequestsModule, RateLimitModule],
  controllers: [DuplicatesController, PhishingController],
  providers: [DuplicatesService, NetworksService, OfficialHandlesService, AlertsService, HandleCheckRateLimitGuard],
  exports: [OfficialHandlesService],
})
export class TrustModule implements OnModuleInit {
  onModuleInit(): void {
    registerDatabaseProblems(trustProblems);
  }
}
