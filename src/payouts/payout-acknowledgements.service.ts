import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { CircleAccess } from '../circles/circle-access.service.js';
import { DomainError } from '../common/errors/domain-error.js';
import { TransactionHost } from '../database/transaction-host.js';
import { ACKNOWLEDGEMENT_TOKEN, ACKNOWLEDGEMENT_TTL_DAYS, hashAcknowledgementToken, newAcknowledgementToken } from './acknowledgement-token.js';
import type { AcknowledgementLinkResponse } from './dto/acknowledgement-link.response.js';
import type { PayoutAcknowledgementResponse } from './dto/payout-acknowledgement.response.js';
import { PayoutTransitions } from './payout-transitions.service.js';
import { Payout } from './payout.entity.js';
import { actorColumns, LINK_ACTOR } from '../common/actor.js';
import { EventsService } from '../events/events.service.js';
import type { PayoutNotArrivedResponse } from './dto/payout-acknowledgement.response.js';
import { payoutChange } from './payout-event.js';
import { PayoutHistory } from './payout-history.entity.js';

/** A live acknowledgement link's payout, as its page shows it: amount and dates only. */
export interface AcknowledgementPreview {
  amount: number;
  currency: string;
  payoutDate: string;
  expiresAt: string;
}

/**
 * The recipient's one-time acknowledgement links: issued on demand by a treasurer or organizer
 * for a sent payout, used without an account to move it sent → acknowledged.
 */
@Injectable()
export class PayoutAcknowledgements {
  constructor(
    private readonly tx: TransactionHost,
    private readonly access: CircleAccess,
    private readonly transitions: PayoutTransitions,
    private readonly events: EventsService,
  ) {}

  /**
   * A fresh link for a sent payout (treasurer or organizer); any earlier link stops working.
   * The token is in this response only and stored nowhere — not even in an idempotency record,
   * which is why this operation takes no Idempotency-Key: a retry simply issues another link.
   */
  async issueLink(userId: string, circleId: string, payoutId: string): Promise<AcknowledgementLinkResponse> {
    return this.tx.run(async (manager) => {
      await this.access.require(circleId, userId);
      const payout = await this.transitions.lock(manager, circleId, payoutId);
      const token = newAcknowledgementToken();
      const expiresAt = new Date(Date.now() + ACKNOWLEDGEMENT_TTL_DAYS * 86_400_000);
      await this.transitions.replaceAcknowledgementLink(manager, payout, userId, hashAcknowledgementToken(token), expiresAt);
      return { token, path: `/v1/payout-acknowledgements/${token}`, expiresAt: expiresAt.toISOString() };
    });
  }

  /**
   * What a live acknowledgement link is for, without using it (the recipient's page shows it
   * before they answer): the same refusals as `acknowledge` — unknown or replaced 404, used
   * 409, expired 410.
   */
  async preview(token: string): Promise<AcknowledgementPreview> {
    const payout = await this.usable(this.tx.manager, token, false);
    return { amount: Number(payout.amount), currency: payout.currency, payoutDate: payout.payoutDate, expiresAt: payout.ackExpiresAt!.toISOString() };
  }

  /** sent → acknowledged, by the recipient through their link: no account, no circle access. */
  async acknowledge(token: string): Promise<PayoutAcknowledgementResponse> {
    return this.tx.run(async (manager) => {
      const payout = await this.usable(manager, token, true);
      const done = await this.transitions.apply(manager, payout, 'acknowledge', LINK_ACTOR, { acknowledgedAt: new Date() });
      return { status: 'acknowledged', acknowledgedAt: done.acknowledgedAt!.toISOString(), amount: Number(done.amount), currency: done.currency, payoutDate: done.payoutDate };
    });
  }

  /**
   * The recipient says through their link that the money did not arrive: the payout stays
   * sent and the link keeps working (it may still come), the payout's history records the
   * report (actor link) and `payout.not_arrived` tells integrators, so the treasurers hear of
   * it without the person having to find them.
   */
  async reportNotArrived(token: string): Promise<PayoutNotArrivedResponse> {
    return this.tx.run(async (manager) => {
      const payout = await this.usable(manager, token, true);
      const answer = (at: Date): PayoutNotArrivedResponse => ({ status: 'sent', reportedAt: at.toISOString(), amount: Number(payout.amount), currency: payout.currency, payoutDate: payout.payoutDate });
      // Pressing the button again (or a retry) within the hour tells the treasurers nothing new.
      const recent = await manager
        .createQueryBuilder(PayoutHistory, 'h')
        .where("h.payout_id = :id AND h.event = 'not_arrived_reported' AND h.at > now() - interval '1 hour'", { id: payout.id })
        .orderBy('h.at', 'ASC')
        .getOne();
      if (recent) return answer(recent.at);
      const at = new Date();
      await manager.insert(PayoutHistory, { circleId: payout.circleId, payoutId: payout.id, event: 'not_arrived_reported', fromStatus: 'sent', toStatus: 'sent', ...actorColumns(LINK_ACTOR), at });
      await this.events.emit('payout.not_arrived', payout.circleId, payoutChange(payout, 'sent', 'sent'), at);
      return answer(at);
    });
  }

  /** The payout a link may still acknowledge (locked when `lock`), or the problem that says why not. */
  private async usable(manager: EntityManager, token: string, lock: boolean): Promise<Payout> {
    if (!ACKNOWLEDGEMENT_TOKEN.test(token)) throw DomainError.notFound('acknowledgement link');
    const hash = hashAcknowledgementToken(token);
    const found = await manager.findOneBy(Payout, { ackTokenHash: hash });
    if (!found) throw DomainError.notFound('acknowledgement link');
    const payout = lock ? await this.transitions.lock(manager, found.circleId, found.id) : found;
    // A newer link may have replaced this one between the lookup and the lock: then it no longer works.
    if (payout.ackTokenHash !== hash) throw DomainError.notFound('acknowledgement link');
    if (payout.status === 'acknowledged') throw new DomainError('acknowledgement-used', 'This payout has already been acknowledged; the link works once.');
    this.transitions.expect(payout, 'acknowledge');
    if (!payout.ackExpiresAt || payout.ackExpiresAt <= new Date()) {
      throw new DomainError('acknowledgement-expired', 'This acknowledgement link has expired; the organizers can still see the payout was sent.');
    }
    return payout;
  }

  /**
   * sent → acknowledged by the recipient through their private status link (the requests
   * module resolved the link to this recipient): no account, and no one-time token needed.
   */
  async acknowledgeAsRecipient(circleId: string, recipientId: string, payoutId: string): Promise<PayoutAcknowledgementResponse> {
    return this.tx.run(async (manager) => {
      const payout = await this.transitions.lock(manager, circleId, payoutId);
      if (payout.recipientId !== recipientId) throw DomainError.notFound('payout');
      if (payout.status === 'acknowledged') throw new DomainError('acknowledgement-used', 'This payout has already been acknowledged.');
      const done = await this.transitions.apply(manager, payout, 'acknowledge', LINK_ACTOR, { acknowledgedAt: new Date() });
      return { status: 'acknowledged', acknowledgedAt: done.acknowledgedAt!.toISOString(), amount: Number(done.amount), currency: done.currency, payoutDate: done.payoutDate };
    });
  }

  /** For the recipient's status link: their payouts that went out, newest first (amounts and dates only). */
  async sentTo(circleId: string, recipientId: string, limit = 20): Promise<{ id: string; status: string; amount: number; currency: string; payoutDate: string }[]> {
    const rows = await this.tx.manager
      .createQueryBuilder(Payout, 'p')
      .where('p.circle_id = :circleId AND p.recipient_id = :recipientId AND p.status IN (:...statuses)', { circleId, recipientId, statuses: ['sent', 'acknowledged'] })
      .orderBy('p.payout_date', 'DESC')
      .addOrderBy('p.id', 'DESC')
      .limit(limit)
      .getMany();
    return rows.map((p) => ({ id: p.id, status: p.status, amount: Number(p.amount), currency: p.currency, payoutDate: p.payoutDate }));
  }
}
