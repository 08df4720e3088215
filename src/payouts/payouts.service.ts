import { Injectable } from '@nestjs/common';
import { CircleAccess } from '../circles/circle-access.service.js';
import { createdKeySql } from '../cycles/created-cursor.js';
import { DomainError } from '../common/errors/domain-error.js';
import { decodeCursor, toPage, type Page } from '../common/pagination.js';
import { TransactionHost } from '../database/transaction-host.js';
import type { ListPayoutsDto } from './dto/list-payouts.dto.js';
import { toPayoutHistoryResponse, toPayoutResponse, type PayoutDetailResponse, type PayoutResponse } from './dto/payout.response.js';
import { PayoutHistory } from './payout-history.entity.js';
import { PayoutTransitions } from './payout-transitions.service.js';
import { Payout } from './payout.entity.js';

/** Reading payouts, and the transitions that move no money: approve and cancel. */
@Injectable()
export class PayoutsService {
  constructor(
    private readonly tx: TransactionHost,
    private readonly access: CircleAccess,
    private readonly transitions: PayoutTransitions,
  ) {}

  /** Newest first (organizer, treasurer): members see payouts as receipts instead. */
  async list(userId: string, circleId: string, query: ListPayoutsDto, limit: number): Promise<Page<PayoutResponse>> {
    await this.access.require(circleId, userId, 'treasurer');
    const after = decodeCursor(query.cursor, 2);
    const qb = this.tx.manager
      .createQueryBuilder(Payout, 'p')
      .where('p.circle_id = :circleId', { circleId })
      .orderBy('p.created_at', 'DESC')
      .addOrderBy('p.id', 'DESC')
      .limit(limit + 1);
    if (query.cycleId) qb.andWhere('p.cycle_id = :cycleId', { cycleId: query.cycleId });
    if (query.week !== undefined) qb.andWhere('p.week = :week', { week: query.week });
    if (query.status) qb.andWhere('p.status = :status', { status: query.status });
    if (after) qb.andWhere('(p.created_at, p.id) < (:at::timestamptz, :id::uuid)', { at: after[0], id: after[1] });
    const { entities, raw } = await qb.addSelect(createdKeySql('p'), 'created_key').getRawAndEntities<{ created_key: string }>();
    const rows = entities.map((payout, i) => ({ payout, key: raw[i].created_key }));
    return toPage(rows, limit, (r) => [r.key, r.payout.id], (r) => toPayoutResponse(r.payout));
  }

  async get(userId: string, circleId: string, payoutId: string): Promise<PayoutDetailResponse> {
    await this.access.require(circleId, userId, 'treasurer');
    const payout = await this.tx.manager.findOneBy(Payout, { id: payoutId, circleId });
    if (!payout) throw DomainError.notFound('payout');
    const history = await this.tx.manager.find(PayoutHistory, { where: { payoutId }, order: { id: 'ASC' } });
    return { ...toPayoutResponse(payout), history: history.map(toPayoutHistoryResponse) };
  }

  /** scheduled → approved (organizer). */
  async approve(userId: string, circleId: string, payoutId: string): Promise<PayoutResponse> {
    return this.tx.run(async (manager) => {
      await this.access.require(circleId, userId, 'organizer');
      const payout = await this.transitions.lock(manager, circleId, payoutId);
      return toPayoutResponse(await this.transitions.apply(manager, payout, 'approve', userId, { approvedAt: new Date() }));
    });
  }

  /** scheduled | approved → cancelled (organizer), e.g. when the recipient has left. */
  async cancel(userId: string, circleId: string, payoutId: string): Promise<PayoutResponse> {
    return this.tx.run(async (manager) => {
      await this.access.require(circleId, userId, 'organizer');
      const payout = await this.transitions.lock(manager, circleId, payoutId);
      return toPayoutResponse(await this.transitions.apply(manager, payout, 'cancel', userId, { cancelledAt: new Date() }));
    });
  }
}
