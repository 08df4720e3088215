import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { CircleAccess } from '../../circles/circle-access.service.js';
import { actorColumns, userActor } from '../../common/actor.js';
import { DomainError } from '../../common/errors/domain-error.js';
import { expectMove, lostRace } from '../../common/state-machine.js';
import { decodeCursor, toPage, type Page } from '../../common/pagination.js';
import { TransactionHost } from '../../database/transaction-host.js';
import type { CreateAdjustmentDto } from '../dto/create-adjustment.dto.js';
import { LedgerService } from '../ledger.service.js';
import { adjustmentEntries } from '../adjustment-entries.js';
import { PENDING_ADJUSTMENT_TRANSITIONS, type PendingAdjustmentTransition } from './pending-adjustment-status.js';
import { PendingAdjustmentHistory } from './pending-adjustment-history.entity.js';
import { PendingAdjustment } from './pending-adjustment.entity.js';
import { toPendingAdjustmentResponse, type PendingAdjustmentResponse } from './pending-adjustment.response.js';

/**
 * Adjustments that wait for a second person (docs/ledger.md, "Amount limits"): asked for by
 * one treasurer or organizer, posted when a different one approves, or rejected (by anyone
 * of them, the asker included). Each move is one guarded UPDATE and one history row.
 */
@Injectable()
export class PendingAdjustmentsService {
  constructor(
    private readonly access: CircleAccess,
    private readonly tx: TransactionHost,
    private readonly ledger: LedgerService,
  ) {}

  async create(userId: string, circleId: string, dto: CreateAdjustmentDto): Promise<PendingAdjustmentResponse> {
    return this.tx.run(async (manager) => {
      const ctx = await this.access.require(circleId, userId);
      const id = randomUUID();
      await manager.insert(PendingAdjustment, { id, circleId, direction: dto.direction, amount: String(dto.amount), memo: dto.memo ?? null, status: 'pending', requestedBy: userId, decidedBy: null, transferId: null, decidedAt: null });
      await manager.insert(PendingAdjustmentHistory, { circleId, pendingAdjustmentId: id, fromStatus: null, toStatus: 'pending', ...actorColumns(userActor(userId)) });
      return toPendingAdjustmentResponse(await manager.findOneByOrFail(PendingAdjustment, { id }), ctx.currency);
    });
  }

  async get(userId: string, circleId: string, id: string): Promise<PendingAdjustmentResponse> {
    const ctx = await this.access.require(circleId, userId);
    const found = await this.tx.manager.findOneBy(PendingAdjustment, { id, circleId });
    if (!found) throw DomainError.notFound('pending adjustment');
    return toPendingAdjustmentResponse(found, ctx.currency);
  }

  /** Newest first. */
  async list(userId: string, circleId: string, limit: number, cursor?: string): Promise<Page<PendingAdjustmentResponse>> {
    const ctx = await this.access.require(circleId, userId);
    const key = decodeCursor(cursor, 2);
    const qb = this.tx.manager.createQueryBuilder(PendingAdjustment, 'p').where('p.circle_id = :circleId', { circleId }).orderBy('p.created_at', 'DESC').addOrderBy('p.id', 'DESC').limit(limit + 1);
    if (key) {
      if (typeof key[0] !== 'string' || typeof key[1] !== 'string' || Number.isNaN(Date.parse(key[0]))) {
        throw new DomainError('validation-failed', 'cursor is not valid', { errors: [{ field: 'cursor', message: 'cursor is not valid' }] });
      }
      qb.andWhere('(p.created_at, p.id) < (:at::timestamptz, :id::uuid)', { at: key[0], id: key[1] });
    }
    return toPage(await qb.getMany(), limit, (p) => [p.createdAt.toISOString(), p.id], (p) => toPendingAdjustmentResponse(p, ctx.currency));
  }

  /**
   * A treasurer or organizer other than the asker posts it. The transfer's id is the
   * adjustment's, so whatever races or retries, it is posted at most once.
   */
  async approve(userId: string, circleId: string, id: string): Promise<PendingAdjustmentResponse> {
    return this.tx.run(async (manager) => {
      const ctx = await this.access.require(circleId, userId);
      const found = await this.lockExpecting(manager, circleId, id, 'approve');
      if (found.requestedBy === userId) throw new DomainError('second-person-required', 'A pending adjustment is approved by a treasurer or organizer other than the one who asked for it.');
      await this.ledger.post({
        transferId: found.id,
        circleId,
        kind: 'adjustment',
        memo: found.memo,
        entries: adjustmentEntries(found.direction, BigInt(found.amount)),
        metadata: { direction: found.direction, secondApproval: true },
      });
      return toPendingAdjustmentResponse(await this.move(manager, found, 'approve', userId, found.id), ctx.currency);
    });
  }

  async reject(userId: string, circleId: string, id: string): Promise<PendingAdjustmentResponse> {
    return this.tx.run(async (manager) => {
      const ctx = await this.access.require(circleId, userId);
      const found = await this.lockExpecting(manager, circleId, id, 'reject');
      return toPendingAdjustmentResponse(await this.move(manager, found, 'reject', userId, null), ctx.currency);
    });
  }

  /** The record, locked for this transaction; 404 when it is not the circle's, 409 when the move cannot start from its state. */
  private async lockExpecting(manager: EntityManager, circleId: string, id: string, move: PendingAdjustmentTransition): Promise<PendingAdjustment> {
    const found = await manager.findOne(PendingAdjustment, { where: { id, circleId }, lock: { mode: 'pessimistic_write' } });
    if (!found) throw DomainError.notFound('pending adjustment');
    expectMove('pending adjustment', PENDING_ADJUSTMENT_TRANSITIONS, move, found.status);
    return found;
  }

  /** The guarded UPDATE of one move and its history row. */
  private async move(manager: EntityManager, found: PendingAdjustment, move: PendingAdjustmentTransition, userId: string, transferId: string | null): Promise<PendingAdjustment> {
    const { from, to } = PENDING_ADJUSTMENT_TRANSITIONS[move];
    const result = await manager
      .createQueryBuilder()
      .update(PendingAdjustment)
      .set({ status: to, decidedBy: userId, decidedAt: () => 'now()', transferId })
      .where('id = :id AND circle_id = :circleId AND status IN (:...from)', { id: found.id, circleId: found.circleId, from })
      .execute();
    if (result.affected !== 1) throw lostRace('pending adjustment', (await manager.findOneByOrFail(PendingAdjustment, { id: found.id })).status);
    await manager.insert(PendingAdjustmentHistory, { circleId: found.circleId, pendingAdjustmentId: found.id, fromStatus: found.status, toStatus: to, ...actorColumns(userActor(userId)) });
    return manager.findOneByOrFail(PendingAdjustment, { id: found.id });
  }
}
