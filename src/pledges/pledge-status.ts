/** docs/design.md "State machines": Pledge. */
export const PLEDGE_STATUSES = ['pending', 'active', 'paused', 'past_due', 'lapsed', 'cancelled', 'completed'] as const;
export type PledgeStatus = (typeof PLEDGE_STATUSES)[number];

export const PLEDGE_METHODS = ['card', 'manual'] as const;
export type PledgeMethod = (typeof PLEDGE_METHODS)[number];

/**
 * Allowed moves. The edges of docs/design.md "State machines", plus two a donor needs: `pending → cancelled` (a
 * checkout never finished) and `past_due → cancelled` (a donor behind on payment may still
 * stop). `lapsed`, `cancelled` and `completed` are final.
 */
export const PLEDGE_TRANSITIONS: Record<PledgeStatus, readonly PledgeStatus[]> = {
  pending: ['active', 'cancelled'],
  active: ['paused', 'past_due', 'cancelled', 'completed'],
  paused: ['active', 'cancelled', 'completed'],
  past_due: ['active', 'lapsed', 'cancelled', 'completed'],
  lapsed: [],
  cancelled: [],
  completed: [],
};

export function canMovePledge(from: PledgeStatus, to: PledgeStatus): boolean {
  return PLEDGE_TRANSITIONS[from].includes(to);
}

export function isFinalPledgeStatus(status: PledgeStatus): boolean {
  return PLEDGE_TRANSITIONS[status].length === 0;
}

/** Pledges that still promise money each week (coverage counts them). */
export const PLEDGING_STATUSES: readonly PledgeStatus[] = ['active', 'past_due'];
