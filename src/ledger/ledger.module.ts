import { Module, type OnModuleInit } from '@nestjs/common';
import { CirclesModule } from '../circles/circles.module.js';
import { EventsModule } from '../events/events.module.js';
import { EventsService } from '../events/events.service.js';
import { registerDatabaseProblems } from '../common/errors/database-problems.js';
import { LedgerApiService } from './ledger-api.service.js';
import { LedgerController } from './ledger.controller.js';
import { ledgerProblems } from './ledger-problems.js';
import { LedgerService } from './ledger.service.js';
import { ReceiptsService } from './receipts.service.js';
import { AmountLimits } from './amount-limits.service.js';
import { PendingAdjustmentsController } from './pending/pending-adjustments.controller.js';
import { PendingAdjustmentsService } from './pending/pending-adjustments.service.js';

/**
 * Double-entry books per circle, with the receipts each posting publishes. Exports
 * LedgerService for payouts and pledges to post through, and ReceiptsService for the read side.
 */
@Module({
  imports: [CirclesModule, EventsModule],
  controllers: [LedgerController, PendingAdjustmentsController],
  providers: [LedgerService, LedgerApiService, ReceiptsService, AmountLimits, PendingAdjustmentsService],
  exports: [LedgerService, ReceiptsService, AmountLimits],
})
export class LedgerModule implements OnModuleInit {
  constructor(
    private readonly events: EventsService,
    private readonly ledger: LedgerService,
  ) {}

  onModuleInit(): void {
    registerDatabaseProblems(ledgerProblems);
    // A circle's accounts exist from the moment it does: opened in its creating transaction.
    this.events.on('circle.created', (event) => this.ledger.openAccounts(event.circleId));
  }
}
