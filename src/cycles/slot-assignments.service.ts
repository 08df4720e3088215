import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { DomainError } from '../common/errors/domain-error.js';
import { Cycle } from './cycle.entity.js';
import { SlotAssignment } from './slot-assignment.entity.js';

/** A roster status change, as the recipient.* events report it (src/events/event-map.ts). */
export interface RosterStatusChange {
  circleId: string;
  recipientId: string;
  from: string | null;
  to: string;
}

/**
 * Who holds which slot of a cycle, week by week. Every write here runs with the cycle row
 * locked, so it is ordered against week generation (which locks it too): an assignment
 * starts or stops paying exactly at the boundary between generated and later weeks.
 */
@Injectable()
export class SlotAssignments {
  /** The circle's active cycle, locked for the rest of the transaction; undefined when none runs. */
  async lockActiveCycle(manager: EntityManager, circleId: string): Promise<Cycle | undefined> {
    const cycle = await manager
      .createQueryBuilder(Cycle, 'c')
      .setLock('pessimistic_write')
      .where('c.circle_id = :circleId AND c.status = :status', { circleId, status: 'active' })
      .getOne();
    return cycle ?? undefined;
  }

  /**
   * Roster hook, inside the transition's transaction. Weeks already generated always stay
   * with whoever held the slot then; changes take effect from the next week not generated.
   * A pause suspends the assignment but keeps the slot (the roster counts paused as holding
   * one); an exit gives it up; becoming active (accept, resume, activation) takes a slot.
   */
  async onRosterChange(change: RosterStatusChange, manager: EntityManager): Promise<void> {
    const leaving = change.to === 'exited' && (change.from === 'active' || change.from === 'paused');
    const pausing = change.from === 'active' && change.to === 'paused';
    if (change.to !== 'active' && !leaving && !pausing) return;
    const cycle = await this.lockActiveCycle(manager, change.circleId);
    if (!cycle) return;
    if (change.to === 'active') await this.assign(manager, cycle, change.recipientId);
    else if (pausing) await this.suspend(manager, cycle, change.recipientId);
    else await this.release(manager, cycle, change.recipientId);
  }

  /**
   * Lets the recipient be paid from the next week not generated: resumes a suspended slot,
   * or takes the lowest free one. A no-op if they hold an open slot or no week is left.
   */
  async assign(manager: EntityManager, cycle: Cycle, recipientId: string): Promise<void> {
    const fromWeek = cycle.generatedWeeks + 1;
    const held = await manager.findOneBy(SlotAssignment, { cycleId: cycle.id, recipientId, held: true });
    if (held?.toWeek === null || fromWeek > cycle.weeks) return;
    if (held) {
      if (held.toWeek === cycle.generatedWeeks) {
        // No week was generated during the pause: the same assignment simply runs on.
        await manager.update(SlotAssignment, { id: held.id }, { toWeek: null, endedAt: null });
      } else {
        await manager.update(SlotAssignment, { id: held.id }, { held: false });
        await this.insert(manager, cycle, recipientId, held.slotNo, fromWeek);
      }
      return;
    }
    const free: { slot_no: number | null }[] = await manager.query(
      `SELECT min(s)::int AS slot_no FROM generate_series(1, $2::int) AS s
        WHERE NOT EXISTS (SELECT 1 FROM slot_assignments a WHERE a.cycle_id = $1 AND a.slot_no = s AND a.held)`,
      [cycle.id, cycle.slots],
    );
    const slotNo = free[0]?.slot_no;
    // Invariant 7: never more recipients in a cycle than it has slots.
    if (slotNo === null || slotNo === undefined) {
      throw new DomainError('no-free-slot', `All ${cycle.slots} slots of the active cycle are held: an exit frees one.`);
    }
    await this.insert(manager, cycle, recipientId, slotNo, fromWeek);
  }

  /** Stops paying the recipient after the last generated week but keeps their slot (pause). */
  async suspend(manager: EntityManager, cycle: Cycle, recipientId: string): Promise<void> {
    await manager.query(
      `UPDATE slot_assignments SET to_week = greatest(from_week - 1, $3::int), ended_at = now()
        WHERE cycle_id = $1 AND recipient_id = $2 AND held AND to_week IS NULL`,
      [cycle.id, recipientId, cycle.generatedWeeks],
    );
  }

  /** Gives the recipient's slot up after the last generated week (exit). */
  async release(manager: EntityManager, cycle: Cycle, recipientId: string): Promise<void> {
    await manager.query(
      `UPDATE slot_assignments SET to_week = coalesce(to_week, greatest(from_week - 1, $3::int)), held = false, ended_at = coalesce(ended_at, now())
        WHERE cycle_id = $1 AND recipient_id = $2 AND held`,
      [cycle.id, recipientId, cycle.generatedWeeks],
    );
  }

  /** Gives up every slot of a cycle that is closing. */
  async releaseAll(manager: EntityManager, cycle: Cycle): Promise<void> {
    await manager.query(
      `UPDATE slot_assignments SET to_week = coalesce(to_week, greatest(from_week - 1, $2::int)), held = false, ended_at = coalesce(ended_at, now())
        WHERE cycle_id = $1 AND held`,
      [cycle.id, cycle.generatedWeeks],
    );
  }

  /** Recipients whose assignment covers `week`, in slot order. */
  async recipientsForWeek(manager: EntityManager, cycleId: string, week: number): Promise<string[]> {
    const rows: { recipient_id: string }[] = await manager.query(
      `SELECT recipient_id FROM slot_assignments
        WHERE cycle_id = $1 AND from_week <= $2 AND (to_week IS NULL OR to_week >= $2)
        ORDER BY slot_no, from_week`,
      [cycleId, week],
    );
    return rows.map((r) => r.recipient_id);
  }

  /** How many slots are held now (paying or paused), per cycle. */
  async filledCounts(manager: EntityManager, cycleIds: string[]): Promise<Map<string, number>> {
    if (cycleIds.length === 0) return new Map();
    const rows: { cycle_id: string; n: number }[] = await manager.query(
      `SELECT cycle_id, count(*)::int AS n FROM slot_assignments WHERE cycle_id = ANY($1::uuid[]) AND held GROUP BY cycle_id`,
      [cycleIds],
    );
    return new Map(rows.map((r) => [r.cycle_id, r.n]));
  }

  private async insert(manager: EntityManager, cycle: Cycle, recipientId: string, slotNo: number, fromWeek: number): Promise<void> {
    await manager.insert(SlotAssignment, { id: randomUUID(), circleId: cycle.circleId, cycleId: cycle.id, slotNo, recipientId, fromWeek, toWeek: null, held: true, endedAt: null });
  }
}
