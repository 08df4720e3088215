import { Check, Column, CreateDateColumn, Entity, ForeignKey, Index, PrimaryColumn, Unique } from 'typeorm';
import type { CycleStatus } from './cycle-status.js';

/**
 * A fixed run of weeks paying `amount` to each of up to `slots` recipients. Weeks are paid
 * on `payout_weekday` in the circle's time zone (src/cycles/schedule.ts). Amounts are
 * bigint minor units and arrive from the driver as strings.
 */
@Entity({ name: 'cycles' })
// Target of the composite foreign keys that keep slot assignments and payouts in the cycle's circle.
@Unique('uq_cycles_id_circle', ['id', 'circleId'])
// One running cycle per circle: the payout-day job and the roster hooks look for "the" active cycle.
@Index('uq_cycles_one_active_per_circle', ['circleId'], { unique: true, where: `status = 'active'` })
@Index('idx_cycles_circle_created', ['circleId', 'createdAt', 'id'])
@Check('ck_cycles_status', `status IN ('draft', 'active', 'closed')`)
@Check('ck_cycles_weeks', `weeks BETWEEN 1 AND 104`)
@Check('ck_cycles_slots', `slots BETWEEN 1 AND 1000`)
@Check('ck_cycles_amount_positive', `amount > 0`)
@Check('ck_cycles_payout_weekday', `payout_weekday BETWEEN 1 AND 7`)
@Check('ck_cycles_generated_weeks', `generated_weeks BETWEEN 0 AND weeks`)
export class Cycle {
  @PrimaryColumn({ type: 'uuid' })
  id: string;

  @Column({ name: 'circle_id', type: 'uuid' })
  @ForeignKey('circles', { name: 'fk_cycles_circle', onDelete: 'RESTRICT' })
  circleId: string;

  @Column({ type: 'varchar', length: 16, default: 'draft' })
  status: CycleStatus;

  @Column({ name: 'starts_on', type: 'date' })
  startsOn: string;

  @Column({ type: 'smallint' })
  weeks: number;

  /** Paid to each recipient each week, in minor units of the circle currency. */
  @Column({ type: 'bigint' })
  amount: string;

  @Column({ type: 'integer' })
  slots: number;

  /** ISO weekday, 1 = Monday … 7 = Sunday. */
  @Column({ name: 'payout_weekday', type: 'smallint' })
  payoutWeekday: number;

  /**
   * Weeks 1..generated_weeks have had their payouts generated. A recipient who joins
   * mid-cycle is assigned from the week after; one who leaves keeps the weeks up to it.
   */
  @Column({ name: 'generated_weeks', type: 'smallint', default: 0 })
  generatedWeeks: number;

  @Column({ name: 'created_by', type: 'uuid' })
  createdBy: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Column({ name: 'activated_at', type: 'timestamptz', nullable: true })
  activatedAt: Date | null;

  @Column({ name: 'closed_at', type: 'timestamptz', nullable: true })
  closedAt: Date | null;
}
