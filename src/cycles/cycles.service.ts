import { Injectable, type OnModuleInit } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { QueryFailedError, type EntityManager } from 'typeorm';
import { CircleAccess } from '../circles/circle-access.service.js';
import type { CircleContext } from '../circles/circle-context.js';
import { DomainError } from '../common/errors/domain-error.js';
import { decodeCursor, toPage, type Page } from '../common/pagination.js';
import { TransactionHost } from '../database/transaction-host.js';
import { EventsService } from '../events/events.service.js';
import { RosterService } from '../roster/roster.service.js';
import { createdKeySql } from './created-cursor.js';
import { Cycle } from './cycle.entity.js';
import type { CreateCycleDto } from './dto/create-cycle.dto.js';
import { toCycleResponse, type CycleResponse } from './dto/cycle.response.js';
import { toSlotAssignmentResponse, type SlotAssignmentResponse } from './dto/slot-assignment.response.js';
import { SlotAssignment } from './slot-assignment.entity.js';
import { SlotAssignments } from './slot-assignments.service.js';
import { lostRace } from '../common/state-machine.js';

/** Cycles: drafting, activation (filling slots from the roster) and closing. */
@Injectable()
export class CyclesService implements OnModuleInit {
  constructor(
    private readonly tx: TransactionHost,
    private readonly access: CircleAccess,
    private readonly roster: RosterService,
    private readonly slots: SlotAssignments,
    private readonly events: EventsService,
  ) {}

  onModuleInit(): void {
    // Slots follow the roster: exits free them, pauses suspend them, accepts and resumes take them.
    this.events.on(['recipient.active', 'recipient.paused', 'recipient.exited'], ({ circleId, data }) =>
      this.slots.onRosterChange({ circleId, recipientId: data.recipientId, from: data.from, to: data.to }, this.tx.manager),
    );
  }

  async create(userId: string, circleId: string, dto: CreateCycleDto): Promise<CycleResponse> {
    const ctx = await this.access.require(circleId, userId);
    const cycle = this.tx.manager.create(Cycle, {
      id: randomUUID(),
      circleId,
      status: 'draft',
      startsOn: dto.startsOn,
      weeks: dto.weeks,
      amount: String(dto.amount),
      slots: dto.slots,
      payoutWeekday: dto.payoutWeekday,
      generatedWeeks: 0,
      createdBy: userId,
      activatedAt: null,
      closedAt: null,
    });
    await this.tx.manager.insert(Cycle, cycle);
    return this.respond(this.tx.manager, ctx, cycle.id);
  }

  /** Newest first. Members may read cycles: their terms are what the circle's donors fund. */
  async list(userId: string, circleId: string, limit: number, cursor?: string): Promise<Page<CycleResponse>> {
    const ctx = await this.access.require(circleId, userId);
    const after = decodeCursor(cursor, 2);
    const qb = this.tx.manager
      .createQueryBuilder(Cycle, 'c')
      .where('c.circle_id = :circleId', { circleId })
      .orderBy('c.created_at', 'DESC')
      .addOrderBy('c.id', 'DESC')
      .limit(limit + 1);
    if (after) qb.andWhere('(c.created_at, c.id) < (:at::timestamptz, :id::uuid)', { at: after[0], id: after[1] });
    const { entities, raw } = await qb.addSelect(createdKeySql('c'), 'created_key').getRawAndEntities<{ created_key: string }>();
    const filled = await this.slots.filledCounts(this.tx.manager, entities.map((c) => c.id));
    const rows = entities.map((cycle, i) => ({ cycle, key: raw[i].created_key }));
    return toPage(rows, limit, (r) => [r.key, r.cycle.id], (r) => toCycleResponse(r.cycle, ctx.currency, filled.get(r.cycle.id) ?? 0));
  }

  async get(userId: string, circleId: string, cycleId: string): Promise<CycleResponse> {
    const ctx = await this.access.require(circleId, userId);
    return this.respond(this.tx.manager, ctx, cycleId);
  }

  /**
   * draft → active: fills the slots from the roster — active recipients first, then offered
   * and waitlisted ones in queue order, whom the roster activates (its hook gives each the
   * next free slot; assigning again here is a no-op).
   */
  async activate(userId: string, circleId: string, cycleId: string): Promise<CycleResponse> {
    return this.tx.run(async (manager) => {
      const ctx = await this.access.require(circleId, userId);
      const cycle = await this.find(manager, circleId, cycleId, true);
      if (cycle.status !== 'draft') throw this.stateError(cycle, 'activated', 'draft');
      const running = await manager.existsBy(Cycle, { circleId, status: 'active' });
      if (running) throw new DomainError('invalid-state', 'Another cycle of this circle is active: close it first.', { state: cycle.status });
      await this.transition(manager, cycle, ['draft'], { status: 'active', activatedAt: () => 'now()' });
      cycle.status = 'active';
      const queue = await this.roster.listForSlots(circleId);
      for (const candidate of queue.slice(0, cycle.slots)) {
        if (candidate.status !== 'active') await this.roster.activate(circleId, candidate.id, userId);
        await this.slots.assign(manager, cycle, candidate.id);
      }
      return this.respond(manager, ctx, cycle.id);
    });
  }

  /** draft | active → closed. Open slot assignments end after the last generated week. */
  async close(userId: string, circleId: string, cycleId: string): Promise<CycleResponse> {
    return this.tx.run(async (manager) => {
      const ctx = await this.access.require(circleId, userId);
      const cycle = await this.find(manager, circleId, cycleId, true);
      if (cycle.status === 'closed') throw this.stateError(cycle, 'closed', 'draft or active');
      await this.transition(manager, cycle, ['draft', 'active'], { status: 'closed', closedAt: () => 'now()' });
      await this.slots.releaseAll(manager, cycle);
      return this.respond(manager, ctx, cycle.id);
    });
  }

  /** Who holds or held each slot (organizer, treasurer), by slot then week. */
  async listSlots(userId: string, circleId: string, cycleId: string, limit: number, cursor?: string): Promise<Page<SlotAssignmentResponse>> {
    await this.access.require(circleId, userId);
    const cycle = await this.find(this.tx.manager, circleId, cycleId);
    const after = decodeCursor(cursor, 3);
    const qb = this.tx.manager
      .createQueryBuilder(SlotAssignment, 'a')
      .where('a.cycle_id = :cycleId', { cycleId: cycle.id })
      .orderBy('a.slot_no', 'ASC')
      .addOrderBy('a.from_week', 'ASC')
      .addOrderBy('a.id', 'ASC')
      .limit(limit + 1);
    if (after) qb.andWhere('(a.slot_no, a.from_week, a.id) > (:slot::int, :week::int, :id::uuid)', { slot: after[0], week: after[1], id: after[2] });
    return toPage(await qb.getMany(), limit, (a) => [a.slotNo, a.fromWeek, a.id], toSlotAssignmentResponse);
  }

  /**
   * The id of the cycle a circle's public page shows: the running one, otherwise the one that
   * started last; null when the circle has none. No access check: the caller made it.
   */
  async currentOf(circleId: string): Promise<string | null> {
    const cycle = await this.tx.manager
      .createQueryBuilder(Cycle, 'c')
      .select('c.id')
      .where('c.circle_id = :circleId', { circleId })
      .orderBy(`CASE WHEN c.status = 'active' THEN 0 ELSE 1 END`)
      .addOrderBy('c.starts_on', 'DESC')
      .addOrderBy('c.id', 'DESC')
      .getOne();
    return cycle?.id ?? null;
  }

  /** The cycle of the circle, or 404 (a cycle of another circle is indistinguishable from none). */
  async find(manager: EntityManager, circleId: string, cycleId: string, lock = false): Promise<Cycle> {
    const qb = manager.createQueryBuilder(Cycle, 'c').where('c.id = :cycleId AND c.circle_id = :circleId', { cycleId, circleId });
    if (lock) qb.setLock('pessimistic_write');
    const cycle = await qb.getOne();
    if (!cycle) throw DomainError.notFound('cycle');
    return cycle;
  }

  private async respond(manager: EntityManager, ctx: CircleContext, cycleId: string): Promise<CycleResponse> {
    const cycle = await this.find(manager, ctx.circleId, cycleId);
    const filled = await this.slots.filledCounts(manager, [cycle.id]);
    return toCycleResponse(cycle, ctx.currency, filled.get(cycle.id) ?? 0);
  }

  /** One guarded UPDATE … WHERE status IN (expected); a concurrent change makes it a 409. */
  private async transition(manager: EntityManager, cycle: Cycle, from: Cycle['status'][], set: Record<string, unknown>): Promise<void> {
    try {
      const result = await manager
        .createQueryBuilder()
        .update(Cycle)
        .set(set)
        .where('id = :id AND status IN (:...from)', { id: cycle.id, from })
        .execute();
      if (result.affected !== 1) throw lostRace('cycle', (await manager.findOneByOrFail(Cycle, { id: cycle.id })).status);
    } catch (error) {
      // The partial unique index is the last word on "one active cycle per circle".
      if (error instanceof QueryFailedError && (error.driverError as { constraint?: string }).constraint === 'uq_cycles_one_active_per_circle') {
        throw new DomainError('invalid-state', 'Another cycle of this circle is active: close it first.', { state: cycle.status });
      }
      throw error;
    }
  }

  private stateError(cycle: Cycle, verb: string, expected: string): DomainError {
    return new DomainError('invalid-state', `The cycle is ${cycle.status}; only a ${expected} cycle can be ${verb}.`, { state: cycle.status });
  }
}
