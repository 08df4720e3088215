import { Injectable } from '@nestjs/common';
import { SessionsService } from '../auth/sessions.service.js';
import { UsersService } from '../auth/users.service.js';
import { MembersService } from '../circles/members.service.js';
import { ReceiptsService } from '../ledger/receipts.service.js';
import { DomainError } from '../common/errors/domain-error.js';
import { TransactionHost } from '../database/transaction-host.js';
import { PledgesService } from '../pledges/pledges.service.js';

/**
 * Deleting an account (docs/design.md "Privacy"): the person's email and password go,
 * with their memberships and logins, in one transaction; what they did stays attributed to
 * an id that no longer names anyone (docs/privacy.md, "Users").
 */
@Injectable()
export class AccountDeletionService {
  constructor(
    private readonly tx: TransactionHost,
    private readonly users: UsersService,
    private readonly sessions: SessionsService,
    private readonly members: MembersService,
    private readonly pledges: PledgesService,
    private readonly receipts: ReceiptsService,
  ) {}

  async delete(userId: string, password: string): Promise<void> {
    if (!(await this.users.passwordMatches(userId, password))) throw new DomainError('invalid-credentials', 'The password is wrong.');
    await this.tx.run(async () => {
      const open = await this.pledges.openPledgeCount(userId);
      if (open > 0) {
        throw new DomainError('invalid-state', `Cancel your ${open} open pledge${open === 1 ? '' : 's'} first, so no payment is left expecting an account that is gone.`);
      }
      await this.members.leaveAllCircles(userId);
      await this.sessions.endAllOf(userId);
      await this.receipts.forgetDonorNames(userId);
      await this.users.close(userId);
    });
  }
}
