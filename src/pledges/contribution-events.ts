import type { ContributionMoney } from '../events/event-map.js';
import type { Contribution } from './contribution.entity.js';

/** The payload of contribution.received: money and ids, never who gave it. */
export function contributionReceived(c: Contribution): ContributionMoney {
  return { contributionId: c.id, pledgeId: c.pledgeId, method: c.method, amount: Number(c.amount), currency: c.currency, transferId: c.transferId! };
}
