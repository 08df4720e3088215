import type { Moves } from '../../common/state-machine.js';

/**
 * docs/design.md "State machines": pending → approved (the adjustment is posted, by a second
 * person) | rejected. Both ends are final.
 */
export const PENDING_ADJUSTMENT_STATUSES = ['pending', 'approved', 'rejected'] as const;
export type PendingAdjustmentStatus = (typeof PENDING_ADJUSTMENT_STATUSES)[number];

export type PendingAdjustmentTransition = 'approve' | 'reject';

/** The states each transition may start from, and where it leads. The database keeps a decided one final (migration 1790000001250). */
export const PENDING_ADJUSTMENT_TRANSITIONS: Moves<PendingAdjustmentTransition, PendingAdjustmentStatus> = {
  approve: { from: ['pending'], to: 'approved' },
  reject: { from: ['pending'], to: 'rejected' },
};
