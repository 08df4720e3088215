import type { EntityManager } from 'typeorm';

/** Count and sum (minor units) of a group of payouts. */
export interface CountAndAmount {
  count: number;
  amount: number;
}

/**
 * What the payouts of one generated week stand at. Cumulative: `approved` counts payouts
 * approved or further along (sent, acknowledged), `sent` those sent or acknowledged;
 * `due` is every payout of the week that is not cancelled.
 */
export interface WeekTotals {
  due: CountAndAmount;
  approved: CountAndAmount;
  sent: CountAndAmount;
}

/**
 * Supplied by the payouts module (which sits above cycles and may not be imported by it),
 * so the schedule can show each generated week's progress.
 */
export type WeekTotalsSource = (manager: EntityManager, cycleId: string) => Promise<Map<number, WeekTotals>>;
