import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import PgBoss from 'pg-boss';
import { DataSource } from 'typeorm';
import { purgeExpiredIdempotencyKeys } from '../common/idempotency/idempotency-store.js';
import { SessionsService } from '../auth/sessions.service.js';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { WeekPayouts, type PayoutDayResult } from '../payouts/week-payouts.service.js';
import { PledgeCompletion } from '../pledges/pledge-completion.service.js';
import { PledgeLapse, type MarkMissedResult } from '../pledges/pledge-lapse.service.js';
import { PrivacyService } from '../privacy/privacy.service.js';
import { RequestExpiry } from '../requests/request-expiry.service.js';
import { RosterService } from '../roster/roster.service.js';
import { CheckpointsService } from '../transparency/receipts/checkpoints.service.js';
import { WebhookDispatcher } from '../integrations/webhooks/webhook-dispatcher.service.js';
import { JOB_SCHEDULES, JOBS_SCHEMA, WEBHOOK_DELIVERY_QUEUE, WEBHOOK_TICK_QUEUE, WEBHOOK_TICK_SECONDS, WEBHOOK_WORKERS, type JobName } from './job-schedules.js';
import { installJobTables } from './job-tables.js';

/**
 * Scheduled work on pg-boss, which keeps jobs and cron state in PostgreSQL so any number of
 * API instances can run it: cron fires once per tick across them, and every handler is
 * safe to run twice (week generation relies on the payouts' unique key, the others on
 * guarded updates). Started only when config.jobsEnabled; tests call the handlers directly.
 */
@Injectable()
export class JobsService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('JobsService');
  private boss: PgBoss | undefined;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly dataSource: DataSource,
    private readonly weekPayouts: WeekPayouts,
    private readonly roster: RosterService,
    private readonly privacy: PrivacyService,
    private readonly pledgeLapse: PledgeLapse,
    private readonly pledgeCompletion: PledgeCompletion,
    private readonly checkpoints: CheckpointsService,
    private readonly sessions: SessionsService,
    private readonly webhooks: WebhookDispatcher,
    private readonly requestExpiry: RequestExpiry,
  ) {}

  /** Generates every payout week that has come due in its circle's time zone. */
  runPayoutDay(now: Date = new Date()): Promise<PayoutDayResult> {
    return this.weekPayouts.generateDue(now);
  }

  /** Returns lapsed offers to the waitlist. */
  runOfferExpiry(now: Date = new Date()): Promise<number> {
    return this.roster.expireOffers(now);
  }

  /** Purges vault rows whose retention period after exit has passed. */
  runVaultRetentionPurge(now: Date = new Date()): Promise<number> {
    return this.privacy.purgeExpired(now);
  }

  /** Expires undecided requests idle past their circle's retention and deletes their private data. */
  runRequestExpiry(now: Date = new Date()): Promise<number> {
    return this.requestExpiry.expireIdle(now);
  }

  /** Marks manual pledges whose weekly money has not come in past due, and lapses long-missed ones. */
  runPledgeLapse(now: Date = new Date()): Promise<MarkMissedResult> {
    return this.pledgeLapse.markMissed(now);
  }

  /** Completes cycle-bound pledges whose cycle has ended. */
  runPledgeCompletion(now: Date = new Date()): Promise<{ completed: number }> {
    return this.pledgeCompletion.completeEnded(now);
  }

  /** Deletes idempotency keys past their retention (at least 24 h). */
  runIdempotencyPurge(): Promise<number> {
    return purgeExpiredIdempotencyKeys(this.dataSource.manager);
  }

  /** Deletes refresh tokens a week past expiry and the sessions they leave empty. */
  runSessionPurge(now: Date = new Date()): Promise<{ refreshTokens: number; sessions: number }> {
    return this.sessions.purgeEnded(now);
  }

  /** Signs the receipt chain head of every circle whose chain grew since its last checkpoint. */
  runReceiptCheckpoints(now: Date = new Date()): Promise<number> {
    return this.checkpoints.signMovedHeads(now);
  }

  /**
   * Digests again, under the current DUPLICATE_KEY, every vault row whose duplicate digests
   * were made under another key, in batches until none is left. Returns how many.
   */
  async runDuplicateRedigest(): Promise<number> {
    let total = 0;
    for (let batch = await this.privacy.redigestStale(); batch > 0; batch = await this.privacy.redigestStale()) total += batch;
    return total;
  }

  async onApplicationBootstrap(): Promise<void> {
    if (this.config.jobsEnabled) await this.start();
  }

  async onModuleDestroy(): Promise<void> {
    await this.stop();
  }

  get running(): boolean {
    return this.boss !== undefined;
  }

  /** Starts pg-boss on the app's database, in its own schema, with the schedules and workers. */
  async start(): Promise<void> {
    if (this.boss) return;
    const url = (this.dataSource.options as { url?: string }).url;
    if (!url) throw new Error('jobs need the database URL the app was started with');
    await installJobTables(this.dataSource);
    const boss = new PgBoss({ connectionString: url, schema: JOBS_SCHEMA, application_name: 'arvut-jobs', max: 3 });
    // Without a listener an error event would crash the process; a failed poll is retried anyway.
    boss.on('error', (error: Error) => this.logger.error({ err: { type: error.name, message: error.message } }, 'pg-boss error'));
    await boss.start();
    try {
      for (const { name, cron } of JOB_SCHEDULES) {
        await boss.createQueue(name);
        await boss.schedule(name, cron, {}, { tz: 'UTC' });
        await boss.work(name, { pollingIntervalSeconds: 5 }, () => this.handle(name));
      }
      await boss.createQueue(WEBHOOK_TICK_QUEUE, { name: WEBHOOK_TICK_QUEUE, policy: 'stately' });
      await boss.createQueue(WEBHOOK_DELIVERY_QUEUE, { name: WEBHOOK_DELIVERY_QUEUE, policy: 'stately' });
      await boss.schedule(WEBHOOK_TICK_QUEUE, '* * * * *', {}, { tz: 'UTC', singletonKey: 'tick' });
      await boss.work(WEBHOOK_TICK_QUEUE, { pollingIntervalSeconds: 1 }, () => this.webhookTick(boss));
      for (let i = 0; i < WEBHOOK_WORKERS; i++) {
        await boss.work<{ endpointId: string }>(WEBHOOK_DELIVERY_QUEUE, { pollingIntervalSeconds: 1 }, async ([job]) => {
          await this.webhooks.deliverDue(job.data.endpointId);
        });
      }
      await boss.send(WEBHOOK_TICK_QUEUE, {}, { singletonKey: 'tick' });
    } catch (error) {
      await boss.stop({ graceful: false });
      throw error;
    }
    this.boss = boss;
  }

  /** Lets the jobs in flight finish (up to 10 s), then closes pg-boss's connections. */
  async stop(): Promise<void> {
    const boss = this.boss;
    if (!boss) return;
    this.boss = undefined;
    await boss.stop({ graceful: true, wait: true, timeout: 10_000 });
  }

  /** Queues a run now, outside the schedule (operations, tests). Returns the job id. */
  async enqueue(name: JobName): Promise<string | null> {
    if (!this.boss) throw new Error('jobs are not running');
    return this.boss.send(name, {});
  }

  /** Queues a delivery run for every endpoint with events waiting, then the next tick. */
  private async webhookTick(boss: PgBoss): Promise<void> {
    try {
      for (const endpointId of await this.webhooks.dueEndpoints()) await boss.send(WEBHOOK_DELIVERY_QUEUE, { endpointId }, { singletonKey: endpointId });
    } finally {
      await boss.send(WEBHOOK_TICK_QUEUE, {}, { singletonKey: 'tick', startAfter: WEBHOOK_TICK_SECONDS });
    }
  }

  private async handle(name: JobName): Promise<void> {
    const now = new Date();
    const outcome = await this.run(name, now);
    // Counts only: nothing personal in job logs (invariant 9).
    this.logger.log({ job: name, outcome }, 'job done');
    if (name === 'payout-day' && (outcome as PayoutDayResult).failed > 0) throw new Error(`${(outcome as PayoutDayResult).failed} cycle(s) failed; retried on the next run`);
  }

  private run(name: JobName, now: Date): Promise<unknown> {
    switch (name) {
      case 'payout-day':
        return this.runPayoutDay(now);
      case 'offer-expiry':
        return this.runOfferExpiry(now);
      case 'vault-retention-purge':
        return this.runVaultRetentionPurge(now);
      case 'request-expiry':
        return this.runRequestExpiry(now);
      case 'pledge-lapse':
        return this.runPledgeLapse(now);
      case 'receipt-checkpoints':
        return this.runReceiptCheckpoints(now);
      case 'pledge-completion':
        return this.runPledgeCompletion(now);
      case 'idempotency-purge':
        return this.runIdempotencyPurge();
      case 'session-purge':
        return this.runSessionPurge(now);
      case 'duplicate-redigest':
        return this.runDuplicateRedigest();
    }
  }
}
