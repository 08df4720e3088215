import { Module } from '@nestjs/common';
import { CirclesModule } from '../circles/circles.module.js';
import { RateLimitModule } from '../common/rate-limit/rate-limit.module.js';
import { CyclesModule } from '../cycles/cycles.module.js';
import { LedgerModule } from '../ledger/ledger.module.js';
import { PayoutsModule } from '../payouts/payouts.module.js';
import { RequestsModule } from '../requests/requests.module.js';
import { TransparencyModule } from '../transparency/transparency.module.js';
import { AcknowledgementPageController } from './acknowledgement-page.controller.js';
import { CirclePageController } from './circle-page.controller.js';
import { HomePageController } from './home-page.controller.js';
import { IntakePageController } from './intake-page.controller.js';
import { PageErrorFilter } from './page-error.filter.js';
import { PageRenderer } from './page-renderer.js';
import { PersonLinkPageController } from './person-link-page.controller.js';

/**
 * Server-rendered pages for people without an app (docs/pages.md): the home page, the
 * person's links, the intake form and the circle's public page, in Arabic, Hebrew and
 * English. The top layer: it calls other modules' services, never their repositories, and
 * nothing imports it.
 */
@Module({
  imports: [CirclesModule, LedgerModule, CyclesModule, PayoutsModule, RequestsModule, TransparencyModule, RateLimitModule],
  controllers: [HomePageController, AcknowledgementPageController, PersonLinkPageController, CirclePageController, IntakePageController],
  providers: [PageRenderer, PageErrorFilter],
})
export class WebModule {}
