import { Check, Column, CreateDateColumn, Entity, ForeignKey, Index, PrimaryColumn } from 'typeorm';
import { Cycle } from './cycle.entity.js';

/**
 * Who holds slot `slot_no` of a cycle, and for which weeks: from `from_week` through
 * `to_week` (open-ended while NULL). A week's payouts go to the assignments covering it.
 * `held` stays true while the recipient keeps the slot: open, or suspended by a pause
 * (to_week set, nothing paid until they resume). An assignment that ends before it starts
 * (to_week = from_week − 1) never paid anyone.
 */
@Entity({ name: 'slot_assignments' })
@ForeignKey(() => Cycle, ['cycleId', 'circleId'], ['id', 'circleId'], { name: 'fk_slot_assignments_cycle', onDelete: 'RESTRICT' })
// Invariant 7 (active recipients in a cycle ≤ its slots): one holder per slot number, and
// a trigger (migration 1790000000500) keeps slot_no within the cycle's slots and the week
// ranges of one slot from overlapping.
@Index('uq_slot_assignments_held_slot', ['cycleId', 'slotNo'], { unique: true, where: 'held' })
// A recipient holds at most one slot of a cycle at a time.
@Index('uq_slot_assignments_held_recipient', ['cycleId', 'recipientId'], { unique: true, where: 'held' })
@Index('idx_slot_assignments_recipient', ['circleId', 'recipientId'])
@Check('ck_slot_assignments_slot_no', `slot_no >= 1`)
@Check('ck_slot_assignments_weeks', `from_week >= 1 AND (to_week IS NULL OR to_week >= from_week - 1)`)
// An assignment still paying (no last week) is necessarily held.
@Check('ck_slot_assignments_open_is_held', `to_week IS NOT NULL OR held`)
export class SlotAssignment {
  @PrimaryColumn({ type: 'uuid' })
  id: string;

  @Column({ name: 'circle_id', type: 'uuid' })
  circleId: string;

  @Column({ name: 'cycle_id', type: 'uuid' })
  cycleId: string;

  @Column({ name: 'slot_no', type: 'integer' })
  slotNo: number;

  @Column({ name: 'recipient_id', type: 'uuid' })
  @ForeignKey('recipients', { name: 'fk_slot_assignments_recipient', onDelete: 'RESTRICT' })
  recipientId: string;

  @Column({ name: 'from_week', type: 'smallint' })
  fromWeek: number;

  @Column({ name: 'to_week', type: 'smallint', nullable: true })
  toWeek: number | null;

  @Column({ type: 'boolean', default: true })
  held: boolean;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Column({ name: 'ended_at', type: 'timestamptz', nullable: true })
  endedAt: Date | null;
}
