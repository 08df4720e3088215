import type { DataSourceOptions } from 'typeorm';
import { MIGRATIONS } from '../../migrations/index.js';
import { ENTITIES } from './entities.js';
import { PreparingClient } from './prepared-statements.js';

export function dataSourceOptions(url: string, poolSize = 20): DataSourceOptions {
  return {
    type: 'postgres',
    url,
    entities: ENTITIES,
    migrations: MIGRATIONS,
    migrationsTableName: 'schema_migrations',
    migrationsTransactionMode: 'each',
    synchronize: false,
    migrationsRun: false,
    logging: false,
    // PreparingClient: the per-request statements are prepared once per connection.
    // pipeline: a statement is sent without waiting for the previous one's reply, so
    // TransactionHost can send BEGIN, and COMMIT, with a statement (one round trip each).
    // connectionTimeoutMillis: a request waits at most this long for a connection (the pool
    // full, or the database away) before it is answered 503 with Retry-After.
    extra: { max: poolSize, application_name: 'arvut', Client: PreparingClient, pipeline: true, connectionTimeoutMillis: 5_000 },
  };
}
