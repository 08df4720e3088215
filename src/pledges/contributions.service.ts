import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { CircleAccess } from '../circles/circle-access.service.js';
import { roleAtLeast } from '../circles/circle-role.js';
import { CirclesService } from '../circles/circles.service.js';
import { DomainError } from '../common/errors/domain-error.js';
import { decodeCursor, toPage } from '../common/pagination.js';
import { TransactionHost } from '../database/transaction-host.js';
import { EventsService } from '../events/events.service.js';
import { LedgerService } from '../ledger/ledger.service.js';
import { manualContributionEntries } from './contribution-entries.js';
import { contributionReceived } from './contribution-events.js';
import { ContributionHistory } from './contribution-history.entity.js';
import { Contribution } from './contribution.entity.js';
import type { CreateContributionDto } from './dto/create-contribution.dto.js';
import { toContributionResponse, type ContributionPageResponse, type ContributionResponse, type ReversalTotals } from './dto/contribution.response.js';
import { daysBetween, localDate } from './local-date.js';
import { userActor } from '../common/actor.js';
import { PledgeLapse } from './pledge-lapse.service.js';
import { Pledge } from './pledge.entity.js';
import { lostRace } from '../common/state-machine.js';

/** Contributions recorded by hand, their second approval, and everyone's view of contributions. */
@Injectable()
export class ContributionsService {
  constructor(
    private readonly tx: TransactionHost,
    private readonly access: CircleAccess,
    private readonly circles: CirclesService,
    private readonly ledger: LedgerService,
    private readonly lapse: PledgeLapse,
    private readonly events: EventsService,
  ) {}

  /** Treasurer or organizer; runs in the Idempotency-Key's transaction (the effect and the key commit together). */
  async create(userId: string, circleId: string, dto: CreateContributionDto): Promise<ContributionResponse> {
    return this.tx.run(async (manager) => {
      const ctx = await this.access.require(circleId, userId);
      if (daysBetween(localDate(new Date(), ctx.timezone), dto.receivedOn) > 0) {
        throw new DomainError('validation-failed', 'receivedOn cannot be in the future', { errors: [{ field: 'receivedOn', message: 'receivedOn cannot be in the future' }] });
      }
      let pledge: Pledge | null = null;
      if (dto.pledgeId) {
        pledge = await manager.findOneBy(Pledge, { id: dto.pledgeId, circleId });
        if (!pledge) throw DomainError.notFound('pledge');
        // Card pledges are paid through the provider; a hand entry would count the money twice.
        if (pledge.method !== 'manual') throw new DomainError('invalid-state', 'Card pledges are paid through Stripe; record a one-off gift without pledgeId instead.', { state: pledge.status });
      }
      const circle = await this.circles.get(userId, circleId);
      const contribution = manager.create(Contribution, {
        id: randomUUID(),
        circleId,
        pledgeId: pledge?.id ?? null,
        donorUserId: pledge?.donorUserId ?? null,
        method: dto.method,
        amount: String(dto.amount),
        fee: '0',
        currency: ctx.currency,
        receivedOn: dto.receivedOn,
        status: 'pending',
        transferId: null,
        providerPaymentRef: null,
        recordedBy: userId,
        approvedBy: null,
        postedAt: null,
      });
      await manager.insert(Contribution, contribution);
      await manager.insert(ContributionHistory, { circleId, contributionId: contribution.id, fromStatus: null, toStatus: 'pending', actor: 'user', actorUserId: userId });
      // With requireSecondApproval nothing reaches the pool until a different person approves.
      if (!circle.settings.requireSecondApproval) await this.post(contribution, userId, null);
      return this.respond(contribution.id);
    });
  }

  /** A different treasurer or organizer posts a pending contribution. */
  async approve(userId: string, circleId: string, contributionId: string): Promise<ContributionResponse> {
    return this.tx.run(async (manager) => {
      await this.access.require(circleId, userId);
      const contribution = await manager.findOneBy(Contribution, { id: contributionId, circleId });
      if (!contribution) throw DomainError.notFound('contribution');
      if (contribution.status !== 'pending') throw new DomainError('invalid-state', `This contribution is ${contribution.status}; only a pending one can be approved.`, { state: contribution.status });
      if (contribution.recordedBy === userId) throw new DomainError('forbidden', 'A second approval must come from a different treasurer or organizer than the one who recorded it.');
      await this.post(contribution, userId, userId);
      return this.respond(contribution.id);
    });
  }

  /** Treasurers and organizers see every contribution; everyone else only those of their own pledges. */
  async list(userId: string, circleId: string, limit: number, cursor?: string): Promise<ContributionPageResponse> {
    const ctx = await this.access.require(circleId, userId);
    const after = decodeCursor(cursor, 2);
    const qb = this.tx.manager
      .createQueryBuilder(Contribution, 'c')
      .where('c.circle_id = :circleId', { circleId })
      .orderBy('c.created_at', 'DESC')
      .addOrderBy('c.id', 'DESC')
      .limit(limit + 1);
    if (!roleAtLeast(ctx.role, 'treasurer')) qb.andWhere('c.donor_user_id = :userId', { userId });
    if (after) qb.andWhere('(c.created_at, c.id) < (:at::timestamptz, :id::uuid)', { at: after[0], id: after[1] });
    const rows = await qb.getMany();
    const totals = await this.reversalTotals(rows.slice(0, limit).map((c) => c.id));
    return toPage(rows, limit, (c) => [c.createdAt.toISOString(), c.id], (c) => toContributionResponse(c, totals.get(c.id)));
  }

  /** pending → posted in one guarded UPDATE, with its ledger transfer in the same transaction. */
  private async post(contribution: Contribution, actorId: string, approvedBy: string | null): Promise<void> {
    const manager = this.tx.manager;
    const transferId = randomUUID();
    const result = await manager
      .createQueryBuilder()
      .update(Contribution)
      .set({ status: 'posted', transferId, approvedBy, postedAt: () => 'now()' })
      .where('id = :id AND status = :status', { id: contribution.id, status: 'pending' })
      .execute();
    if (result.affected !== 1) throw lostRace('contribution', (await manager.findOneByOrFail(Contribution, { id: contribution.id })).status);
    await this.ledger.post({
      transferId,
      circleId: contribution.circleId,
      kind: 'contribution',
      entries: manualContributionEntries(BigInt(contribution.amount)),
      metadata: { contributionId: contribution.id, ...(contribution.pledgeId ? { pledgeId: contribution.pledgeId } : {}), method: contribution.method },
    });
    await manager.insert(ContributionHistory, { circleId: contribution.circleId, contributionId: contribution.id, fromStatus: 'pending', toStatus: 'posted', actor: 'user', actorUserId: actorId });
    await this.events.emit('contribution.received', contribution.circleId, contributionReceived({ ...contribution, transferId }));
    // Money arrived for a pledge behind on payment: it may be current again.
    if (contribution.pledgeId) await this.lapse.recheck(contribution.pledgeId, new Date(), userActor(actorId));
  }

  private async respond(id: string): Promise<ContributionResponse> {
    const contribution = await this.tx.manager.findOneByOrFail(Contribution, { id });
    return toContributionResponse(contribution, (await this.reversalTotals([id])).get(id));
  }

  private async reversalTotals(ids: string[]): Promise<Map<string, ReversalTotals>> {
    if (ids.length === 0) return new Map();
    const rows: { contribution_id: string; refunded: string; disputed: string; shortfall: string }[] = await this.tx.manager.query(
      `SELECT contribution_id,
              coalesce(sum(amount) FILTER (WHERE kind = 'refund'), 0)::text AS refunded,
              coalesce(sum(amount) FILTER (WHERE kind = 'dispute' AND reinstated_transfer_id IS NULL), 0)::text AS disputed,
              coalesce(sum(shortfall) FILTER (WHERE reinstated_transfer_id IS NULL), 0)::text AS shortfall
         FROM contribution_reversals WHERE contribution_id = ANY($1::uuid[]) GROUP BY contribution_id`,
      [ids],
    );
    return new Map(rows.map((r) => [r.contribution_id, { refunded: BigInt(r.refunded), disputed: BigInt(r.disputed), shortfall: BigInt(r.shortfall) }]));
  }
}
