import type { PayoutChange } from '../events/event-map.js';
import type { PayoutStatus } from './payout-status.js';
import type { Payout } from './payout.entity.js';

/** The payload of a payout.* event: ids, week, date and money; the recipient only by id. */
export function payoutChange(payout: Payout, from: PayoutStatus | null, to: PayoutStatus): PayoutChange {
  return {
    payoutId: payout.id,
    cycleId: payout.cycleId,
    recipientId: payout.recipientId,
    week: payout.week,
    payoutDate: payout.payoutDate,
    amount: Number(payout.amount),
    currency: payout.currency,
    from,
    to,
  };
}
