import { Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { DataSource, type EntityManager, type QueryRunner } from 'typeorm';
import { DomainError } from '../common/errors/domain-error.js';
import { dataSourceOptions } from './data-source-options.js';

/** How the long-read pool is sized and bounded (LONG_READ_* in src/config/app-config.ts). */
export interface LongReadSettings {
  /** Connections of the long-read pool, per process. */
  readonly poolSize: number;
  /** Longest one statement on the pool may run (PostgreSQL's statement_timeout). */
  readonly statementTimeoutMs: number;
  /** Longest a long read waits for one of the pool's connections before it is answered 503. */
  readonly acquireTimeoutMs: number;
  /** Long reads one user may have running at once, per process. */
  readonly perUser: number;
}

/** What a client is told to wait before it retries a long read the pool could not take. */
export const LONG_READ_RETRY_AFTER_SECONDS = 5;

/** One long read in progress: a connection of the long-read pool, held until release(). */
export interface LongReadLease {
  readonly runner: QueryRunner;
  readonly manager: EntityManager;
  /** Returns the connection and the user's turn; safe to call more than once. */
  release(): Promise<void>;
}

/**
 * The pool of the reads that may take long: the CSV exports and the ledger check
 * (docs/security.md, "Long reads"). Apart from the main pool, so a member who starts many
 * of them holds at most these few connections and never the ones every other request
 * needs; each user may run `perUser` at once; each statement is cut off after
 * `statementTimeoutMs`; and a read that cannot get a connection within `acquireTimeoutMs`
 * is answered `503 unavailable` with Retry-After instead of waiting.
 */
@Injectable()
export class LongReads implements OnApplicationShutdown {
  private readonly logger = new Logger('LongReads');
  private readonly running = new Map<string, number>();
  private dataSource: DataSource | undefined;
  private initializing: Promise<DataSource> | undefined;

  constructor(
    private readonly url: string,
    readonly settings: LongReadSettings,
  ) {}

  /**
   * Takes a connection of the long-read pool for `userId`'s read. Refused with 429 when the
   * user already runs `perUser` long reads, 503 with Retry-After when no connection frees
   * up in time. The caller must release() the lease, also when its read fails.
   */
  async acquire(userId: string): Promise<LongReadLease> {
    const count = this.running.get(userId) ?? 0;
    if (count >= this.settings.perUser) {
      throw new DomainError('rate-limited', `You already have ${count} long read(s) running (an export or the ledger check); retry when it has finished.`, {
        headers: { 'Retry-After': String(LONG_READ_RETRY_AFTER_SECONDS) },
      });
    }
    this.running.set(userId, count + 1);
    let turnGiven = false;
    const giveTurnBack = () => {
      if (turnGiven) return;
      turnGiven = true;
      const left = (this.running.get(userId) ?? 1) - 1;
      if (left > 0) this.running.set(userId, left);
      else this.running.delete(userId);
    };
    let runner: QueryRunner;
    try {
      runner = (await this.pool()).createQueryRunner();
      await runner.connect();
    } catch (error) {
      giveTurnBack();
      this.logger.warn({ err: { type: (error as Error)?.name, message: (error as Error)?.message } }, 'no long-read connection');
      throw new DomainError('unavailable', 'Every connection for long reads (exports, the ledger check) is busy; retry shortly.', {
        headers: { 'Retry-After': String(LONG_READ_RETRY_AFTER_SECONDS) },
      });
    }
    let released: Promise<void> | undefined;
    return {
      runner,
      manager: runner.manager,
      release: () => {
        released ??= (async () => {
          try {
            if (runner.isTransactionActive) await runner.rollbackTransaction().catch(() => undefined);
            await runner.release();
          } finally {
            giveTurnBack();
          }
        })();
        return released;
      },
    };
  }

  /** Runs `work` on a long-read connection and releases it, whatever `work` does. */
  async run<T>(userId: string, work: (manager: EntityManager) => Promise<T>): Promise<T> {
    const lease = await this.acquire(userId);
    try {
      return await work(lease.manager);
    } finally {
      await lease.release();
    }
  }

  /** Long reads `userId` has running in this process (for tests and metrics). */
  runningFor(userId: string): number {
    return this.running.get(userId) ?? 0;
  }

  async onApplicationShutdown(): Promise<void> {
    const ds = await this.initializing?.catch(() => undefined);
    if (ds?.isInitialized) await ds.destroy();
  }

  /** Opened on first use, so an instance that never exports opens no connection for it. */
  private pool(): Promise<DataSource> {
    if (this.dataSource?.isInitialized) return Promise.resolve(this.dataSource);
    this.initializing ??= (async () => {
      const base = dataSourceOptions(this.url, this.settings.poolSize);
      const ds = new DataSource({
        ...base,
        migrations: [],
        extra: {
          max: this.settings.poolSize,
          application_name: 'arvut-long-read',
          connectionTimeoutMillis: this.settings.acquireTimeoutMs,
          // Set for every connection when it opens: no statement of a long read runs longer.
          statement_timeout: this.settings.statementTimeoutMs,
          // A read left open by a client that stopped reading is ended by the server too.
          idle_in_transaction_session_timeout: Math.max(this.settings.statementTimeoutMs, 60_000) * 2,
        },
      } as typeof base);
      await ds.initialize();
      this.dataSource = ds;
      return ds;
    })();
    // A failed first open (the database away) is tried again by the next read.
    return this.initializing.catch((error: unknown) => {
      this.initializing = undefined;
      throw error;
    });
  }
}
