import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { CircleAccess } from '../circles/circle-access.service.js';
import { DomainError } from '../common/errors/domain-error.js';
import { TransactionHost } from '../database/transaction-host.js';
import { LedgerService } from '../ledger/ledger.service.js';
import { toPayoutResponse, type PayoutResponse } from './dto/payout.response.js';
import type { SendPayoutDto } from './dto/send-payout.dto.js';
import { PayoutTransitions } from './payout-transitions.service.js';
import { paymentProofOf } from './payment-proof.js';
import { userActor } from '../common/actor.js';

/**
 * The two payout transitions that move money, each posting through the ledger in the same
 * transaction as the state change: `sent` (pool → payouts) and `returned` (its reversal).
 * A pool that cannot cover a payout fails the posting (409 insufficient-funds) and with it
 * the state change: nothing is half done.
 */
@Injectable()
export class PayoutSending {
  constructor(
    private readonly tx: TransactionHost,
    private readonly access: CircleAccess,
    private readonly ledger: LedgerService,
    private readonly transitions: PayoutTransitions,
  ) {}

  /**
   * approved → sent (treasurer or organizer). Issues no acknowledgement link: this response is
   * kept for replay under the Idempotency-Key, and a link's token must never be stored.
   */
  async send(userId: string, circleId: string, payoutId: string, dto: SendPayoutDto): Promise<PayoutResponse> {
    return this.tx.run(async (manager) => {
      await this.access.require(circleId, userId);
      const payout = await this.transitions.lock(manager, circleId, payoutId);
      this.transitions.expect(payout, 'send');
      // The payout's id is its transfer id: the ledger refuses to post one payout twice.
      const posted = await this.ledger.post({
        transferId: payout.id,
        circleId,
        kind: 'payout',
        entries: [
          { account: 'pool', amount: -BigInt(payout.amount) },
          { account: 'payouts', amount: BigInt(payout.amount) },
        ],
        metadata: { payoutId: payout.id, cycleId: payout.cycleId, week: payout.week, method: dto.method },
      });
      if (!posted.created) throw new DomainError('invalid-state', 'This payout has already been posted to the ledger.', { state: payout.status });
      const sent = await this.transitions.apply(manager, payout, 'send', userActor(userId), {
        proof: paymentProofOf(dto),
        transferId: posted.id,
        sentAt: new Date(),
      });
      return toPayoutResponse(sent);
    });
  }

  /** sent → returned (treasurer or organizer): the money came back, so the posting is reversed. */
  async returnPayout(userId: string, circleId: string, payoutId: string): Promise<PayoutResponse> {
    return this.tx.run(async (manager) => {
      await this.access.require(circleId, userId);
      const payout = await this.transitions.lock(manager, circleId, payoutId);
      this.transitions.expect(payout, 'return');
      if (!payout.transferId) throw new DomainError('internal-error', 'A sent payout has no ledger transfer.');
      const reversal = await this.ledger.reverse(circleId, payout.transferId, randomUUID(), {
        metadata: { payoutId: payout.id, cycleId: payout.cycleId, week: payout.week },
      });
      const returned = await this.transitions.apply(manager, payout, 'return', userActor(userId), { reversalTransferId: reversal.id, returnedAt: new Date() });
      return toPayoutResponse(returned);
    });
  }
}
