import { Module } from '@nestjs/common';
import { CirclesModule } from '../circles/circles.module.js';
import { CyclesModule } from '../cycles/cycles.module.js';
import { EventsModule } from '../events/events.module.js';
import { LedgerModule } from '../ledger/ledger.module.js';
import { RosterModule } from '../roster/roster.module.js';
import { PayoutAcknowledgementsController } from './payout-acknowledgements.controller.js';
import { PayoutAcknowledgements } from './payout-acknowledgements.service.js';
import { PayoutSending } from './payout-sending.service.js';
import { PayoutTransitions } from './payout-transitions.service.js';
import { PayoutsController } from './payouts.controller.js';
import { PayoutsService } from './payouts.service.js';
import { WeekPayouts } from './week-payouts.service.js';

/** Payouts and their states. Posts through the ledger; reads slots through cycles and aliases through the roster. Exports PayoutsService for reports and PayoutAcknowledgements for recipients' status links. */
@Module({
  imports: [CirclesModule, CyclesModule, EventsModule, LedgerModule, RosterModule],
  controllers: [PayoutsController, PayoutAcknowledgementsController],
  providers: [PayoutsService, WeekPayouts, PayoutSending, PayoutAcknowledgements, PayoutTransitions],
  exports: [WeekPayouts, PayoutsService, PayoutAcknowledgements],
})
export class PayoutsModule {}
