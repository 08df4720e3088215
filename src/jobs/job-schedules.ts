/** The scheduled jobs: a pg-boss queue each, sent by cron (UTC) from one instance at a time. */
export const JOB_SCHEDULES = [
  // Payout days begin at local midnight in each circle's own time zone, so look often.
  { name: 'payout-day', cron: '*/15 * * * *' },
  { name: 'offer-expiry', cron: '*/5 * * * *' },
  { name: 'vault-retention-purge', cron: '23 * * * *' },
  // Undecided requests idle past their circle's retention: expired, their private data deleted.
  { name: 'request-expiry', cron: '19 * * * *' },
  { name: 'pledge-lapse', cron: '41 * * * *' },
  { name: 'pledge-completion', cron: '47 * * * *' },
  // Keys live at least 24 h (DESIGN: idempotency); purging hourly keeps the table small.
  { name: 'idempotency-purge', cron: '53 * * * *' },
  // Login sessions and refresh tokens a week past their end (SessionsService.purgeEnded).
  { name: 'session-purge', cron: '29 * * * *' },
  // Signs the receipt chain head of every circle whose chain grew since its last checkpoint.
  { name: 'receipt-checkpoints', cron: '7 * * * *' },
  // After DUPLICATE_KEY changed, digests vault rows again under the new key (docs/trust.md).
  { name: 'duplicate-redigest', cron: '*/10 * * * *' },
] as const;

/**
 * Webhook deliveries (src/integrations/webhooks/): the tick looks for endpoints with events
 * waiting every few seconds (re-sending itself; the cron only restarts the chain should it
 * break) and queues one delivery run per endpoint. Both queues are 'stately': at most one
 * run of an endpoint waits and one runs, so an endpoint's events go out in order.
 */
export const WEBHOOK_TICK_QUEUE = 'webhook-tick';
export const WEBHOOK_DELIVERY_QUEUE = 'webhook-delivery';
export const WEBHOOK_TICK_SECONDS = 2;
/** Delivery runs at once per instance: one slow endpoint does not hold up the others. */
export const WEBHOOK_WORKERS = 4;

export type JobName = (typeof JOB_SCHEDULES)[number]['name'];

/** pg-boss keeps its tables in their own schema, out of the way of the app's migrations. */
export const JOBS_SCHEMA = 'pgboss';
