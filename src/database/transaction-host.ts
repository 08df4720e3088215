import { Injectable } from '@nestjs/common';
import { AsyncLocalStorage } from 'node:async_hooks';
import { DataSource, type EntityManager } from 'typeorm';

const store = new AsyncLocalStorage<EntityManager>();

/**
 * Carries the current transaction through async calls, so an effect and the records that
 * must commit with it (idempotency keys, history rows, receipts) share one transaction
 * without every service passing an EntityManager around.
 */
@Injectable()
export class TransactionHost {
  constructor(private readonly dataSource: DataSource) {}

  /** The manager of the transaction in progress, or the pool's manager outside one. */
  get manager(): EntityManager {
    return store.getStore() ?? this.dataSource.manager;
  }

  get inTransaction(): boolean {
    return store.getStore() !== undefined;
  }

  /** Runs `work` in the current transaction, or in a new one that commits when it resolves. */
  async run<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    const current = store.getStore();
    if (current) return work(current);
    return this.dataSource.transaction((manager) => store.run(manager, () => work(manager)));
  }
}
