import { Injectable } from '@nestjs/common';
import { AsyncLocalStorage } from 'node:async_hooks';
import type { Socket } from 'node:net';
import type pg from 'pg';
import { DataSource, QueryFailedError, type EntityManager, type QueryRunner } from 'typeorm';

interface Transaction {
  readonly manager: EntityManager;
  readonly client: pg.PoolClient;
  /** COMMIT has been sent (queryAndCommit): the transaction is over, whatever `work` does next. */
  ended: boolean;
  /** Statements sent without waiting for their answer, which must all succeed before COMMIT (sendWithoutWaiting). */
  pending: Promise<unknown>[];
}

/** `owner` is false inside a nested run(), which must not end the transaction it joined. */
const store = new AsyncLocalStorage<{ tx: Transaction; owner: boolean }>();

/** node-pg's socket: corked around statements sent together, so they leave in one write. */
function socketOf(client: pg.PoolClient): Socket | undefined {
  return (client as unknown as { connection?: { stream?: Socket } }).connection?.stream;
}

/**
 * Carries the current transaction through async calls, so an effect and the records that
 * must commit with it (idempotency keys, history rows, receipts) share one transaction
 * without every service passing an EntityManager around.
 *
 * Round trips: the pool's connections run node-pg in pipeline mode (data-source-options.ts),
 * so BEGIN is not waited for: it leaves in the same write as the transaction's first
 * statement. queryAndCommit() does the same at the other end, sending the last statement
 * and COMMIT together. PostgreSQL still runs them one after the other, in order.
 */
/**
 * Called as a transaction begins, before its first statement: it may send statements of its
 * own (without awaiting them), which leave in the same write as BEGIN and the first statement.
 */
export type TransactionOpener = (manager: EntityManager) => void;

@Injectable()
export class TransactionHost {
  private readonly openers: TransactionOpener[] = [];

  constructor(private readonly dataSource: DataSource) {}

  /**
   * Registers `opener` for every transaction run() opens from now on. Used by modules above
   * this one that must read something under the transaction's locks without a round trip
   * of its own (the caller's circle role: src/circles/circle-access-prefetch.ts).
   */
  onTransactionStart(opener: TransactionOpener): void {
    this.openers.push(opener);
  }

  /** The manager of the transaction in progress, or the pool's manager outside one. */
  get manager(): EntityManager {
    const tx = store.getStore()?.tx;
    if (tx?.ended) throw new Error('the transaction has been committed (queryAndCommit): nothing more may run in it');
    return tx?.manager ?? this.dataSource.manager;
  }

  get inTransaction(): boolean {
    return store.getStore() !== undefined;
  }

  /** Runs `work` in the current transaction, or in a new one that commits when it resolves. */
  async run<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    const current = store.getStore();
    if (current) {
      const { tx } = current;
      if (tx.ended) throw new Error('the transaction has been committed (queryAndCommit): nothing more may run in it');
      return current.owner ? store.run({ tx, owner: false }, () => work(tx.manager)) : work(tx.manager);
    }

    const runner = this.dataSource.createQueryRunner();
    try {
      const client = (await runner.connect()) as pg.PoolClient;
      const tx: Transaction = { manager: runner.manager, client, ended: false, pending: [] };
      const begun = this.begin(runner, client);
      for (const open of this.openers) open(runner.manager);
      try {
        const result = await store.run({ tx, owner: true }, () => work(runner.manager));
        await begun;
        // A COMMIT in a failed transaction only rolls it back: the statements sent without
        // waiting are checked first.
        if (!tx.ended) await Promise.all(tx.pending);
        if (!tx.ended) await runner.query('COMMIT');
        return result;
      } catch (error) {
        if (!tx.ended) await runner.query('ROLLBACK').catch(() => undefined);
        // A statement sent without waiting that failed leaves every later one failing with
        // "current transaction is aborted": its own error is the one that says why. An error
        // `work` chose to throw (not the database's) is its answer and stays.
        if (!(error instanceof QueryFailedError)) throw error;
        throw (await firstFailure(tx.pending)) ?? error;
      } finally {
        markInTransaction(runner, false);
      }
    } finally {
      await runner.release();
    }
  }

  /**
   * Runs `sql` as the last statement of the transaction and commits, in one round trip: the
   * statement and COMMIT are sent together, which also frees the transaction's row locks a
   * round trip sooner. If the statement fails, PostgreSQL turns that COMMIT into a rollback
   * of the whole transaction, and the statement's error is thrown; a failed COMMIT (e.g. a
   * deferred constraint) is thrown as well. Nothing may run in the transaction afterwards.
   * Where the caller did not open the transaction itself (a nested run()), the statement
   * just runs and the outer transaction commits as usual.
   */
  async queryAndCommit<T = unknown>(sql: string, params: unknown[]): Promise<T[]> {
    const scope = store.getStore();
    if (!scope?.owner) return this.manager.query(sql, params);
    const { tx } = scope;
    if (tx.ended) throw new Error('the transaction has been committed (queryAndCommit): nothing more may run in it');
    tx.ended = true;
    const socket = socketOf(tx.client);
    socket?.cork();
    const ran = tx.client.query(sql, params);
    const committed = tx.client.query('COMMIT');
    socket?.uncork();
    const [statement, commit, ...sentEarlier] = await Promise.allSettled([ran, committed, ...tx.pending]);
    const failedEarlier = sentEarlier.find((r) => r.status === 'rejected');
    if (failedEarlier) throw failedEarlier.reason;
    if (statement.status === 'rejected') throw new QueryFailedError(sql, params, statement.reason as Error);
    if (commit.status === 'rejected') throw new QueryFailedError('COMMIT', [], commit.reason as Error);
    return statement.value.rows as T[];
  }

  /**
   * Sends `sql` in the current transaction without waiting for its answer: in pipeline mode
   * it leaves at once, and PostgreSQL runs it before whatever the transaction sends next,
   * COMMIT included. For statements whose result nobody reads (an event appended to the
   * outbox, an Idempotency-Key record sent ahead of the posting): the transaction saves their
   * round trip, and still commits only if they succeed.
   */
  sendWithoutWaiting(sql: string, params: unknown[]): void {
    void this.sendAhead(sql, params);
  }

  /**
   * Sends `sql` in the current transaction now and answers with its rows later: like
   * sendWithoutWaiting, it leaves at once (so it shares a write with whatever the transaction
   * sends next, COMMIT included), but the caller may read the answer. A failure is also
   * checked before COMMIT, and aborts the transaction in PostgreSQL, so a check sent this way
   * ahead of a last statement sent with COMMIT (queryAndCommit) still decides the commit. On
   * node-pg's client itself: TypeORM's query() reaches the client a few ticks later, and a
   * COMMIT sent in between would overtake this statement.
   */
  sendAhead<T = unknown>(sql: string, params: unknown[]): Promise<T[]> {
    const scope = store.getStore();
    if (!scope) throw new Error('sending ahead (sendAhead, sendWithoutWaiting) needs a transaction');
    if (scope.tx.ended) throw new Error('the transaction has been committed (queryAndCommit): nothing more may run in it');
    const sent = scope.tx.client.query(sql, params).then(
      (result) => result.rows as T[],
      (error: unknown) => {
        throw new QueryFailedError(sql, params, error as Error);
      },
    );
    sent.catch(() => undefined); // read by the caller; checked before COMMIT as well
    scope.tx.pending.push(sent);
    return sent;
  }

  /**
   * Sends BEGIN without waiting for it: it is held back (corked) until `work` has issued its
   * first statement in this turn of the event loop, and leaves in the same write. BEGIN
   * fails only on a broken connection, where every statement after it fails too; run()
   * still awaits it before committing.
   */
  private begin(runner: QueryRunner, client: pg.PoolClient): Promise<unknown> {
    const socket = socketOf(client);
    socket?.cork();
    const begun = client.query('BEGIN').catch((error: unknown) => {
      throw new QueryFailedError('BEGIN', [], error as Error);
    });
    setImmediate(() => socket?.uncork());
    markInTransaction(runner, true);
    begun.catch(() => undefined); // awaited by run(); this only keeps it from counting as unhandled
    return begun;
  }
}

/** The error of the first of `sent` that failed, once all have answered; undefined when none did. */
async function firstFailure(sent: Promise<unknown>[]): Promise<unknown> {
  const outcomes = await Promise.allSettled(sent);
  return outcomes.find((o): o is PromiseRejectedResult => o.status === 'rejected')?.reason;
}

/**
 * Tells TypeORM the runner is inside a transaction it did not start, so its own operations
 * (repository saves) do not open another and a nested `manager.transaction()` uses savepoints.
 */
function markInTransaction(runner: QueryRunner, active: boolean): void {
  const state = runner as unknown as { isTransactionActive: boolean; transactionDepth: number };
  state.isTransactionActive = active;
  state.transactionDepth = active ? 1 : 0;
}
