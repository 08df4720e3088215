// The domain modules, bottom layer first (docs/architecture.md "Modules": dependencies point one way).
import type { Type } from '@nestjs/common';

import { AccountModule } from './account/account.module.js';
import { AuthModule } from './auth/auth.module.js';
import { CirclesModule } from './circles/circles.module.js';
import { CyclesModule } from './cycles/cycles.module.js';
import { EventsModule } from './events/events.module.js';
import { IntegrationsModule } from './integrations/integrations.module.js';
import { JobsModule } from './jobs/jobs.module.js';
import { LedgerModule } from './ledger/ledger.module.js';
import { PaymentsModule } from './payments/payments.module.js';
import { PayoutsModule } from './payouts/payouts.module.js';
import { PledgesModule } from './pledges/pledges.module.js';
import { PrivacyModule } from './privacy/privacy.module.js';
import { RequestsModule } from './requests/requests.module.js';
import { RosterModule } from './roster/roster.module.js';
import { TransparencyModule } from './transparency/transparency.module.js';
import { WebModule } from './web/web.module.js';

export const FEATURE_MODULES: Type[] = [EventsModule, AuthModule, CirclesModule, LedgerModule, PrivacyModule, RosterModule, CyclesModule, PayoutsModule, PaymentsModule, PledgesModule, RequestsModule, AccountModule, TransparencyModule, WebModule, IntegrationsModule, JobsModule];
