/**
 * docs/design.md "State machines": pending → approved (the adjustment is posted, by a second
 * person) | rejected. Both ends are final.
 */
export const PENDING_ADJUSTMENT_STATUSES = ['pending', 'approved', 'rejected'] as const;
export type PendingAdjustmentStatus = (typeof PENDING_ADJUSTMENT_STATUSES)[number];

/** The states each transition may start from, and where it leads. */
export const PENDING_ADJUSTMENT_TRANSITIONS = {
  approve: { from: ['pending'], to: 'approved' },
  reject: { from: ['pending'], to: 'rejected' },
} as const satisfies Record<string, { from: readonly PendingAdjustmentStatus[]; to: PendingAdjustmentStatus }>;

export type PendingAdjustmentTransition = keyof typeof PENDING_ADJUSTMENT_TRANSITIONS;
