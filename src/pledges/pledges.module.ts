import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module.js';
import { CirclesModule } from '../circles/circles.module.js';
import { EventsModule } from '../events/events.module.js';
import { CyclesModule } from '../cycles/cycles.module.js';
import { LedgerModule } from '../ledger/ledger.module.js';
import { PaymentsModule } from '../payments/payments.module.js';
import { CardContributions } from './card-contributions.service.js';
import { ContributionsController } from './contributions.controller.js';
import { ContributionsService } from './contributions.service.js';
import { CoverageController } from './coverage.controller.js';
import { CoverageService } from './coverage.service.js';
import { PledgeCompletion } from './pledge-completion.service.js';
import { PledgeLapse } from './pledge-lapse.service.js';
import { PledgePaymentEvents } from './pledge-payment-events.handler.js';
import { PledgeTransitions } from './pledge-transitions.service.js';
import { PledgesController } from './pledges.controller.js';
import { PledgesService } from './pledges.service.js';

/**
 * Pledges, contributions and coverage. Posts through the ledger, takes card money through
 * the payments port, and receives payment events by registering PledgePaymentEvents with it.
 * Exports PledgeLapse (markMissed) and PledgeCompletion (completeEnded) for the jobs module to
 * schedule, CoverageService for the transparency module's reports, and PledgesService for
 * account deletion (which waits until no pledge expects money).
 */
@Module({
  imports: [AuthModule, CirclesModule, EventsModule, LedgerModule, CyclesModule, PaymentsModule],
  controllers: [PledgesController, ContributionsController, CoverageController],
  providers: [PledgesService, ContributionsService, CoverageService, PledgeTransitions, PledgeLapse, PledgeCompletion, CardContributions, PledgePaymentEvents],
  exports: [PledgeLapse, PledgeCompletion, CoverageService, PledgesService],
})
export class PledgesModule {}
