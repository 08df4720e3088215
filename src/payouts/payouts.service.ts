import { Injectable } from '@nestjs/common';
import { CircleAccess } from '../circles/circle-access.service.js';
import { createdKeySql } from '../cycles/created-cursor.js';
import { DomainError } from '../common/errors/domain-error.js';
import { decodeCursor, toPage, type Page } from '../common/pagination.js';
import { TransactionHost } from '../database/transaction-host.js';
import { RosterService } from '../roster/roster.service.js';
import type { ListedPayoutResponse } from './dto/listed-payout.response.js';
import type { ListPayoutsDto } from './dto/list-payouts.dto.js';
import { toPayoutHistoryResponse, toPayoutResponse, type PayoutDetailResponse, type PayoutResponse } from './dto/payout.response.js';
import { PayoutHistory } from './payout-history.entity.js';
import { PayoutTransitions } from './payout-transitions.service.js';
import { Payout } from './payout.entity.js';
import { userActor } from '../common/actor.js';

/** Reading payouts, and the transitions that move no money: approve and cancel. */
@Injectable()
export class PayoutsService {
  constructor(
    private readonly tx: TransactionHost,
    private readonly access: CircleAccess,
    private readonly transitions: PayoutTransitions,
    private readonly roster: RosterService,
  ) {}

  /** Newest first (organizer, treasurer): members see payouts as receipts instead. */
  async list(userId: string, circleId: string, query: ListPayoutsDto, limit: number): Promise<Page<ListedPayoutResponse>> {
    await this.access.require(circleId, userId);
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
    // Treasurers need to know whom they are paying: the alias, one batched read per page (never a vault field).
    const aliases = await this.roster.aliasesOf(circleId, entities.slice(0, limit).map((p) => p.recipientId));
    return toPage(rows, limit, (r) => [r.key, r.payout.id], (r) => ({ ...toPayoutResponse(r.payout), recipientAlias: aliases.get(r.payout.recipientId) ?? '' }));
  }

  async get(userId: string, circleId: string, payoutId: string): Promise<PayoutDetailResponse> {
    await this.access.require(circleId, userId);
    const payout = await this.tx.manager.findOneBy(Payout, { id: payoutId, circleId });
    if (!payout) throw DomainError.notFound('payout');
    const history = await this.tx.manager.find(PayoutHistory, { where: { payoutId }, order: { id: 'ASC' } });
    return { ...toPayoutResponse(payout), history: history.map(toPayoutHistoryResponse) };
  }

  /**
   * For reports (callers check access first): the cycle's payouts that went out (sent or
   * acknowledged; returned ones not), and how many of them were acknowledged; with the
   * recipients they paid, for the report to count and to look up waiting times by.
   */
  async cycleTotals(circleId: string, cycleId: string): Promise<{ sent: number; acknowledged: number; recipientIds: string[] }> {
    const rows: { sent: number; acknowledged: number; recipient_ids: string[] }[] = await this.tx.manager.query(
      `SELECT count(*) FILTER (WHERE status IN ('sent', 'acknowledged'))::int AS sent,
              count(*) FILTER (WHERE status = 'acknowledged')::int AS acknowledged,
              coalesce(array_agg(DISTINCT recipient_id::text) FILTER (WHERE status IN ('sent', 'acknowledged')), '{}'::text[]) AS recipient_ids
         FROM payouts WHERE circle_id = $1 AND cycle_id = $2`,
      [circleId, cycleId],
    );
    return { sent: rows[0].sent, acknowledged: rows[0].acknowledged, recipientIds: rows[0].recipient_ids };
  }

  /** scheduled → approved (organizer). */
  async approve(userId: string, circleId: string, payoutId: string): Promise<PayoutResponse> {
    return this.tx.run(async (manager) => {
      await this.access.require(circleId, userId);
      const payout = await this.transitions.lock(manager, circleId, payoutId);
      return toPayoutResponse(await this.transitions.apply(manager, payout, 'approve', userActor(userId), { approvedAt: new Date() }));
    });
  }

  /** scheduled | approved → cancelled (organizer), e.g. when the recipient has left. */
  async cancel(userId: string, circleId: string, payoutId: string): Promise<PayoutResponse> {
    return this.tx.run(async (manager) => {
      await this.access.require(circleId, userId);
      const payout = await this.transitions.lock(manager, circleId, payoutId);
      return toPayoutResponse(await this.transitions.apply(manager, payout, 'cancel', userActor(userId), { cancelledAt: new Date() }));
    });
  }
}
