import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { CircleAccess } from '../circles/circle-access.service.js';
import { DomainError } from '../common/errors/domain-error.js';
import { TransactionHost } from '../database/transaction-host.js';
import { EventsService } from '../events/events.service.js';
import { LedgerService } from '../ledger/ledger.service.js';
import type { SendPayoutDto } from '../payouts/dto/send-payout.dto.js';
import { toRequestResponse, type RequestResponse } from './dto/request.response.js';
import { grantMoney } from './request-events.js';
import { RequestSettingsService } from './request-settings.service.js';
import { RequestTransitions } from './request-transitions.service.js';
import { paymentProofOf, sameProof } from '../payouts/payment-proof.js';
import { userActor } from '../common/actor.js';

/**
 * Paying a grant the way a payout is paid: a treasurer records the method, the reference's
 * last four and optionally the SHA-256 of the proof screenshot, and the ledger posts pool →
 * payouts (kind `grant`, which publishes a receipt of kind `grant` with the category) in the
 * same transaction as the state change. At or above the two-person threshold, a second,
 * different organizer or treasurer confirms before anything is posted. A grant returned is
 * a reversal of that posting.
 */
@Injectable()
export class GrantPayments {
  constructor(
    private readonly tx: TransactionHost,
    private readonly access: CircleAccess,
    private readonly ledger: LedgerService,
    private readonly settings: RequestSettingsService,
    private readonly transitions: RequestTransitions,
    private readonly events: EventsService,
  ) {}

  /** approved → paid (treasurer, organizer); or, at or above the threshold, the first of two sends. */
  async send(userId: string, circleId: string, requestId: string, dto: SendPayoutDto): Promise<RequestResponse> {
    return this.tx.run(async (manager) => {
      const ctx = await this.access.require(circleId, userId);
      const showOpener = ctx.role === 'organizer';
      const request = await this.transitions.lock(manager, circleId, requestId);
      this.transitions.expect(request, 'pay');
      if (request.kind !== 'grant') throw new DomainError('invalid-state', 'Only a grant is paid; a roster request became a recipient.', { state: request.status });
      const amount = BigInt(request.amountGranted!);
      const rules = await this.settings.rulesOf(circleId);
      const twoPeople = rules.twoPersonThreshold !== null && amount >= rules.twoPersonThreshold;
      const proof = paymentProofOf(dto);

      if (twoPeople && request.sentBy === null) {
        return toRequestResponse(await this.transitions.record(manager, request, 'send_requested', userActor(userId), { proof, sentBy: userId }), showOpener, true);
      }
      if (twoPeople) {
        if (request.sentBy === userId) throw new DomainError('second-person-required', 'You recorded sending this grant; a second, different organizer or treasurer confirms it.');
        if (!sameProof(request.proof, proof)) {
          throw new DomainError('invalid-state', 'The first sender recorded a different method, reference or proof; confirm with the same ones.', { state: request.status });
        }
      }
      // The request's id is its transfer id: the ledger refuses to post one grant twice.
      const posted = await this.ledger.post({
        transferId: request.id,
        circleId,
        kind: 'grant',
        entries: [
          { account: 'pool', amount: -amount },
          { account: 'payouts', amount },
        ],
        metadata: { requestId: request.id, category: request.category, method: dto.method },
      });
      if (!posted.created) throw new DomainError('invalid-state', 'This grant has already been posted to the ledger.', { state: request.status });
      const paid = await this.transitions.apply(manager, request, 'pay', userActor(userId), {
        proof,
        ...(twoPeople ? { secondSentBy: userId } : { sentBy: userId }),
        transferId: posted.id,
        sentAt: new Date(),
      });
      await this.events.emit('grant.paid', circleId, grantMoney(paid, posted.id, paid.sentAt!));
      return toRequestResponse(paid, showOpener, true);
    });
  }

  /** paid | acknowledged → returned (treasurer, organizer): the money came back, so the posting is reversed. */
  async returnGrant(userId: string, circleId: string, requestId: string): Promise<RequestResponse> {
    return this.tx.run(async (manager) => {
      const ctx = await this.access.require(circleId, userId);
      const request = await this.transitions.lock(manager, circleId, requestId);
      this.transitions.expect(request, 'return');
      if (!request.transferId) throw new DomainError('internal-error', 'A paid grant has no ledger transfer.');
      const reversal = await this.ledger.reverse(circleId, request.transferId, randomUUID(), { metadata: { requestId: request.id } });
      const returned = await this.transitions.apply(manager, request, 'return', userActor(userId), { reversalTransferId: reversal.id });
      await this.events.emit('grant.returned', circleId, grantMoney(returned, reversal.id, returned.statusChangedAt));
      return toRequestResponse(returned, ctx.role === 'organizer', true);
    });
  }
}
