import { Module } from '@nestjs/common';
import { CirclesModule } from '../circles/circles.module.js';
import { EventsModule } from '../events/events.module.js';
import { LedgerModule } from '../ledger/ledger.module.js';
import { PrivacyModule } from '../privacy/privacy.module.js';
import { RecipientPrivateController } from './recipient-private.controller.js';
import { RecipientPrivateService } from './recipient-private.service.js';
import { RecipientQueries } from './recipient-queries.js';
import { RecipientTransitions } from './recipient-transitions.js';
import { RecipientsController } from './recipients.controller.js';
import { RosterService } from './roster.service.js';

/** Recipients, their states, the waitlist and exits. Personal data goes through the privacy module. */
@Module({
  imports: [CirclesModule, EventsModule, LedgerModule, PrivacyModule],
  controllers: [RecipientsController, RecipientPrivateController],
  providers: [RosterService, RecipientTransitions, RecipientQueries, RecipientPrivateService],
  exports: [RosterService],
})
export class RosterModule {}
