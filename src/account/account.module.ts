import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module.js';
import { CirclesModule } from '../circles/circles.module.js';
import { RateLimitModule } from '../common/rate-limit/rate-limit.module.js';
import { LedgerModule } from '../ledger/ledger.module.js';
import { PledgesModule } from '../pledges/pledges.module.js';
import { AccountDeletionService } from './account-deletion.service.js';
import { AccountController } from './account.controller.js';

/** The person's own account beyond logging in: deleting it. Above auth, circles and pledges, whose services it calls. */
@Module({
  imports: [AuthModule, CirclesModule, LedgerModule, PledgesModule, RateLimitModule],
  controllers: [AccountController],
  providers: [AccountDeletionService],
})
export class AccountModule {}
