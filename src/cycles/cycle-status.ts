/** A cycle is drafted, then runs (one at a time per circle), then is closed for good. */
export const CYCLE_STATUSES = ['draft', 'active', 'closed'] as const;
export type CycleStatus = (typeof CYCLE_STATUSES)[number];
