import type { CircleRole } from '../circles/circle-role.js';
import type { EventType } from '../events/event-map.js';

/**
 * The lowest role that reads each event type in the polling feed: the role of the routes
 * that show the same data. Members see the circle's membership and its receipts; the roster,
 * payouts, pledges and contributions are for treasurers and organizers. Webhook endpoints
 * are set up by organizers and may subscribe to every type.
 */
export const EVENT_MIN_ROLE: Record<EventType, CircleRole> = {
  'circle.created': 'member',
  'member.joined': 'member',
  'member.left': 'member',
  'member.role_changed': 'member',
  'recipient.waitlisted': 'treasurer',
  'recipient.offered': 'treasurer',
  'recipient.active': 'treasurer',
  'recipient.paused': 'treasurer',
  'recipient.exited': 'treasurer',
  'payout.scheduled': 'treasurer',
  'payout.approved': 'treasurer',
  'payout.sent': 'treasurer',
  'payout.acknowledged': 'treasurer',
  'payout.returned': 'treasurer',
  'payout.cancelled': 'treasurer',
  'payout.not_arrived': 'treasurer',
  'pledge.created': 'treasurer',
  'pledge.activated': 'treasurer',
  'pledge.paused': 'treasurer',
  'pledge.past_due': 'treasurer',
  'pledge.lapsed': 'treasurer',
  'pledge.cancelled': 'treasurer',
  'pledge.completed': 'treasurer',
  'contribution.received': 'treasurer',
  'contribution.refunded': 'treasurer',
  'contribution.disputed': 'treasurer',
  // Requests and grants: for those who see the requests list (organizers, treasurers).
  'request.submitted': 'treasurer',
  'request.in_review': 'treasurer',
  'request.approved': 'treasurer',
  'request.declined': 'treasurer',
  'request.withdrawn': 'treasurer',
  'request.expired': 'treasurer',
  'request.cancelled': 'treasurer',
  'request.paid': 'treasurer',
  'request.acknowledged': 'treasurer',
  'request.returned': 'treasurer',
  'grant.paid': 'treasurer',
  'grant.returned': 'treasurer',
  'receipt.published': 'member',
  'checkpoint.signed': 'member',
  // Members read the alerts themselves (GET …/alerts).
  'alert.posted': 'member',
  'webhook.endpoint_disabled': 'organizer',
};
