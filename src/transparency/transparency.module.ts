import { Module } from '@nestjs/common';
import { CirclesModule } from '../circles/circles.module.js';
import { RateLimitModule } from '../common/rate-limit/rate-limit.module.js';
import { CyclesModule } from '../cycles/cycles.module.js';
import { LedgerModule } from '../ledger/ledger.module.js';
import { PayoutsModule } from '../payouts/payouts.module.js';
import { PledgesModule } from '../pledges/pledges.module.js';
import { RequestsModule } from '../requests/requests.module.js';
import { RosterModule } from '../roster/roster.module.js';
import { GrantsExportService } from './exports/grants-export.service.js';
import { GrantReportsController } from './reports/grant-reports.controller.js';
import { GrantReportsService } from './reports/grant-reports.service.js';
import { ExportsController } from './exports/exports.controller.js';
import { LedgerExportService } from './exports/ledger-export.service.js';
import { ReadLinksController } from './read-links/read-links.controller.js';
import { ReadLinksService } from './read-links/read-links.service.js';
import { ReportsController } from './reports/reports.controller.js';
import { ReportsService } from './reports/reports.service.js';
import { PublicKeyController } from './receipts/public-key.controller.js';
import { ReceiptCheckpointsModule } from './receipts/receipt-checkpoints.module.js';
import { ReceiptFeedService } from './receipts/receipt-feed.service.js';
import { ReceiptNamesController } from './receipts/receipt-names.controller.js';
import { ReceiptNamesService } from './receipts/receipt-names.service.js';
import { ReceiptsExportController } from './receipts/receipts-export.controller.js';
import { ReceiptsExportService } from './receipts/receipts-export.service.js';
import { ReceiptsController } from './receipts/receipts.controller.js';

/**
 * The read side (docs/design.md "Transparency"): reports and exports, built only from other
 * modules' public service methods. Only the pages (src/web/) import it, for the circle's public
 * page; it writes no table of its own except the signed checkpoints of the receipt chain.
 */
@Module({
  imports: [CirclesModule, LedgerModule, RosterModule, CyclesModule, PayoutsModule, PledgesModule, RequestsModule, RateLimitModule, ReceiptCheckpointsModule],
  controllers: [ReportsController, GrantReportsController, ExportsController, ReceiptsController, ReceiptsExportController, PublicKeyController, ReceiptNamesController, ReadLinksController],
  providers: [ReportsService, GrantReportsService, GrantsExportService, LedgerExportService, ReceiptFeedService, ReceiptsExportService, ReceiptNamesService, ReadLinksService],
  exports: [ReportsService, ReceiptFeedService, ReadLinksService, ReceiptCheckpointsModule],
})
export class TransparencyModule {}
