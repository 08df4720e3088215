import { Injectable, Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { TransactionHost } from '../database/transaction-host.js';
import { EventsService } from '../events/events.service.js';
import { LedgerService } from '../ledger/ledger.service.js';
import type { ProviderPayment } from '../payments/payment-provider.js';
import { cardContributionEntries, compensationEntries } from './contribution-entries.js';
import { contributionReceived } from './contribution-events.js';
import { ContributionHistory } from './contribution-history.entity.js';
import { ContributionReversal } from './contribution-reversal.entity.js';
import { Contribution } from './contribution.entity.js';
import { localDate } from './local-date.js';
import type { Pledge } from './pledge.entity.js';

/**
 * Books card payments, refunds and disputes. Each booking is keyed by the provider's id
 * (payment, refund, dispute) under a unique index and runs in the webhook's transaction,
 * so any order and any number of deliveries end in the same books.
 */
@Injectable()
export class CardContributions {
  private readonly logger = new Logger('CardContributions');

  constructor(
    private readonly tx: TransactionHost,
    private readonly ledger: LedgerService,
    private readonly events: EventsService,
  ) {}

  /** Makes the books match a payment re-read from the provider: its contribution, refunds and disputes. */
  async reconcile(pledge: Pledge, payment: ProviderPayment, timezone: string): Promise<void> {
    if (!payment.paid) return;
    // Amounts are booked in the circle's currency only; anything else needs a person to look.
    if (payment.currency !== pledge.currency || (payment.settlementCurrency !== null && payment.settlementCurrency !== pledge.currency)) {
      this.logger.warn({ pledgeId: pledge.id, circleId: pledge.circleId }, 'card payment in another currency than the circle: not booked');
      return;
    }
    const contribution = await this.ensureContribution(pledge, payment, timezone);
    for (const refund of payment.refunds) {
      if (refund.succeeded && refund.amount > 0n) await this.ensureCompensation(contribution, 'refund', refund.ref, refund.amount, 0n);
    }
    for (const dispute of payment.disputes) {
      if (dispute.withdrawn && dispute.amount > 0n) await this.ensureCompensation(contribution, 'dispute', dispute.ref, dispute.amount, dispute.fee);
      else if (!dispute.withdrawn) await this.reinstate(contribution, dispute.ref);
    }
  }

  /** Invariant 5: at most one contribution per provider payment id (unique index; a duplicate does nothing). */
  private async ensureContribution(pledge: Pledge, payment: ProviderPayment, timezone: string): Promise<Contribution> {
    const manager = this.tx.manager;
    const existing = await manager.findOneBy(Contribution, { providerPaymentRef: payment.ref });
    if (existing) return existing;
    const id = randomUUID();
    const transferId = randomUUID();
    const inserted = await manager
      .createQueryBuilder()
      .insert()
      .into(Contribution)
      .values({
        id,
        circleId: pledge.circleId,
        pledgeId: pledge.id,
        donorUserId: pledge.donorUserId,
        method: 'card',
        amount: payment.gross.toString(),
        fee: payment.fee.toString(),
        currency: pledge.currency,
        receivedOn: localDate(payment.paidAt ?? new Date(), timezone),
        status: 'posted',
        transferId,
        providerPaymentRef: payment.ref,
        recordedBy: null,
        approvedBy: null,
        postedAt: () => 'now()',
      })
      .orIgnore()
      .returning(['id'])
      .execute();
    if ((inserted.raw as unknown[]).length === 0) return manager.findOneByOrFail(Contribution, { providerPaymentRef: payment.ref });
    await this.ledger.post({
      transferId,
      circleId: pledge.circleId,
      kind: 'contribution',
      entries: cardContributionEntries(payment.gross, payment.fee),
      metadata: { contributionId: id, pledgeId: pledge.id, method: 'card' },
    });
    await manager.insert(ContributionHistory, { circleId: pledge.circleId, contributionId: id, fromStatus: null, toStatus: 'posted', actor: 'provider', actorUserId: null });
    const contribution = await manager.findOneByOrFail(Contribution, { id });
    await this.events.emit('contribution.received', pledge.circleId, contributionReceived(contribution));
    return contribution;
  }

  /** One compensating transfer per provider refund/dispute id (unique index). */
  private async ensureCompensation(contribution: Contribution, kind: 'refund' | 'dispute', providerRef: string, amount: bigint, fee: bigint): Promise<void> {
    const manager = this.tx.manager;
    if (await manager.existsBy(ContributionReversal, { providerRef })) return;
    const pool = (await this.ledger.balances(contribution.circleId)).find((a) => a.kind === 'pool')?.balance ?? 0n;
    const compensation = compensationEntries(amount, fee, pool);
    const id = randomUUID();
    const transferId = randomUUID();
    const inserted = await manager
      .createQueryBuilder()
      .insert()
      .into(ContributionReversal)
      .values({ id, circleId: contribution.circleId, contributionId: contribution.id, kind, providerRef, amount: amount.toString(), fee: fee.toString(), shortfall: compensation.shortfall.toString(), transferId, reinstatedTransferId: null })
      .orIgnore()
      .returning(['id'])
      .execute();
    if ((inserted.raw as unknown[]).length === 0) return;
    await this.ledger.post({
      transferId,
      circleId: contribution.circleId,
      kind: kind === 'refund' ? 'contribution_refund' : 'contribution_dispute',
      entries: compensation.entries,
      metadata: { contributionId: contribution.id, reversalId: id, shortfall: compensation.shortfall.toString() },
    });
    await this.events.emit(kind === 'refund' ? 'contribution.refunded' : 'contribution.disputed', contribution.circleId, {
      contributionId: contribution.id,
      reversalId: id,
      amount: Number(amount),
      currency: contribution.currency,
      shortfall: Number(compensation.shortfall),
      transferId,
    });
    if (compensation.shortfall > 0n) {
      // Surfaced on the contribution (`shortfall`) for treasurers; ids only in the log (invariant 9).
      this.logger.warn({ circleId: contribution.circleId, contributionId: contribution.id, reversalId: id }, 'pool could not cover a card refund or dispute: shortfall booked to adjustments');
    }
  }

  /** A won dispute returns the money: the dispute's compensation is reversed, once (invariant 6). */
  private async reinstate(contribution: Contribution, providerRef: string): Promise<void> {
    const reversalId = randomUUID();
    const [rows]: [{ transfer_id: string; id: string }[], number] = await this.tx.manager.query(
      `UPDATE contribution_reversals SET reinstated_transfer_id = $2
        WHERE provider_ref = $1 AND kind = 'dispute' AND reinstated_transfer_id IS NULL
        RETURNING transfer_id, id`,
      [providerRef, reversalId],
    );
    const row = rows[0];
    if (!row) return;
    await this.ledger.reverse(contribution.circleId, row.transfer_id, reversalId, { metadata: { contributionId: contribution.id, reversalId: row.id, reason: 'dispute_won' } });
  }
}
