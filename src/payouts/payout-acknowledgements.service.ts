import { Injectable } from '@nestjs/common';
import { DomainError } from '../common/errors/domain-error.js';
import { TransactionHost } from '../database/transaction-host.js';
import { ACKNOWLEDGEMENT_TOKEN, hashAcknowledgementToken } from './acknowledgement-token.js';
import type { PayoutAcknowledgementResponse } from './dto/payout-acknowledgement.response.js';
import { PayoutTransitions } from './payout-transitions.service.js';
import { Payout } from './payout.entity.js';

/** sent → acknowledged, by the recipient through their one-time link: no account, no circle access. */
@Injectable()
export class PayoutAcknowledgements {
  constructor(
    private readonly tx: TransactionHost,
    private readonly transitions: PayoutTransitions,
  ) {}

  async acknowledge(token: string): Promise<PayoutAcknowledgementResponse> {
    if (!ACKNOWLEDGEMENT_TOKEN.test(token)) throw DomainError.notFound('acknowledgement link');
    return this.tx.run(async (manager) => {
      const found = await manager.findOneBy(Payout, { ackTokenHash: hashAcknowledgementToken(token) });
      if (!found) throw DomainError.notFound('acknowledgement link');
      const payout = await this.transitions.lock(manager, found.circleId, found.id);
      if (payout.status === 'acknowledged') throw new DomainError('acknowledgement-used', 'This payout has already been acknowledged; the link works once.');
      this.transitions.expect(payout, 'acknowledge');
      if (!payout.ackExpiresAt || payout.ackExpiresAt <= new Date()) {
        throw new DomainError('acknowledgement-expired', 'This acknowledgement link has expired; the organizers can still see the payout was sent.');
      }
      const done = await this.transitions.apply(manager, payout, 'acknowledge', null, { acknowledgedAt: new Date() });
      return { status: 'acknowledged', acknowledgedAt: done.acknowledgedAt!.toISOString(), amount: Number(done.amount), currency: done.currency, payoutDate: done.payoutDate };
    });
  }
}
