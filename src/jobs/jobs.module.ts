import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module.js';
import { IntegrationsModule } from '../integrations/integrations.module.js';
import { PayoutsModule } from '../payouts/payouts.module.js';
import { PledgesModule } from '../pledges/pledges.module.js';
import { PrivacyModule } from '../privacy/privacy.module.js';
import { RequestsModule } from '../requests/requests.module.js';
import { RosterModule } from '../roster/roster.module.js';
import { ReceiptCheckpointsModule } from '../transparency/receipts/receipt-checkpoints.module.js';
import { JobsService } from './jobs.service.js';

/** Scheduled and background work. The top of the dependency graph: it imports, nothing imports it. */
@Module({
  imports: [AuthModule, IntegrationsModule, PayoutsModule, PledgesModule, RosterModule, PrivacyModule, ReceiptCheckpointsModule, RequestsModule],
  providers: [JobsService],
})
export class JobsModule {}
