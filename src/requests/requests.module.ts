import { Module, type OnModuleInit } from '@nestjs/common';
import { CirclesModule } from '../circles/circles.module.js';
import { registerDatabaseProblems } from '../common/errors/database-problems.js';
import { RateLimitModule } from '../common/rate-limit/rate-limit.module.js';
import { EventsModule } from '../events/events.module.js';
import { LedgerModule } from '../ledger/ledger.module.js';
import { PayoutsModule } from '../payouts/payouts.module.js';
import { PrivacyModule } from '../privacy/privacy.module.js';
import { RosterModule } from '../roster/roster.module.js';
import { GrantFunds } from './grant-funds.service.js';
import { GrantPayments } from './grant-payments.service.js';
import { IntakeLinksController } from './intake-links.controller.js';
import { IntakeLinks } from './intake-links.service.js';
import { IntakeRateLimitGuard } from './intake-rate-limit.guard.js';
import { PersonLinksController } from './person-links.controller.js';
import { PersonLinks } from './person-links.service.js';
import { RequestAttachments } from './request-attachments.service.js';
import { requestProblems } from './request-problems.js';
import { RequestDecisions } from './request-decisions.service.js';
import { RequestExpiry } from './request-expiry.service.js';
import { RequestSettingsController } from './request-settings.controller.js';
import { RequestSettingsService } from './request-settings.service.js';
import { RequestTransitions } from './request-transitions.service.js';
import { RequestsController } from './requests.controller.js';
import { RequestsService } from './requests.service.js';

/**
 * Requests for help, intake links, grant decisions and payments, and people's private status
 * links (docs/grants.md). Above the roster and payouts: an approved roster request becomes a
 * recipient, a recipient's link acknowledges payouts. Personal fields go through privacy.
 * Exports RequestsService for the read side (reports, grants.csv) and RequestExpiry for the jobs.
 */
@Module({
  imports: [EventsModule, CirclesModule, LedgerModule, PrivacyModule, RosterModule, PayoutsModule, RateLimitModule],
  controllers: [RequestsController, RequestSettingsController, IntakeLinksController, PersonLinksController],
  providers: [RequestAttachments, RequestExpiry, RequestsService, RequestTransitions, RequestDecisions, GrantPayments, GrantFunds, RequestSettingsService, IntakeLinks, PersonLinks, IntakeRateLimitGuard],
  exports: [RequestsService, PersonLinks, IntakeLinks, RequestExpiry],
})
export class RequestsModule implements OnModuleInit {
  onModuleInit(): void {
    registerDatabaseProblems(requestProblems);
  }
}
