import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import cluster, { type Worker } from 'node:cluster';
import { pino } from 'pino';
import { loadConfig, type AppConfig } from './config/app-config.js';
import { ConfigError } from './config/config-error.js';
import { startEmbeddedPostgres, type EmbeddedServer } from './database/embedded-postgres.js';
import { prepareEmbeddedDatabase, prepareExternalDatabase } from './database/prepare.js';
import { createApp } from './bootstrap.js';

/**
 * `npm start`. With WEB_CONCURRENCY=1 (the default) one process does everything. With N > 1
 * the primary process starts the embedded PostgreSQL (when there is no DATABASE_URL) and
 * applies the migrations once, then forks N workers (node:cluster) that each run the app
 * and share the listening port. The app keeps no state in memory that matters, so workers
 * are interchangeable, like instances behind a load balancer.
 */
async function main(): Promise<void> {
  if (cluster.isWorker) return runWorker();
  const config = loadConfig(); // before any fork: generated secrets are written once, here
  if (config.webConcurrency > 1) return runPrimary(config);
  return runSingle(config);
}

interface Database {
  /** The API's connection URL: the app role's. */
  url: string;
  embedded: EmbeddedServer | undefined;
  applied: string[];
  warnings: string[];
}

/** The embedded server (without DATABASE_URL), its roles, the migrations: everything before the app starts. */
async function prepareDatabase(config: AppConfig): Promise<Database> {
  if (config.databaseUrl) {
    const prepared = await prepareExternalDatabase(config.databaseUrl, config.migrationDatabaseUrl ?? config.databaseUrl);
    return { url: prepared.appUrl, embedded: undefined, applied: prepared.applied, warnings: prepared.warnings };
  }
  const embedded = await startEmbeddedPostgres({ dataDir: config.dataDir, port: config.embeddedPgPort });
  try {
    const prepared = await prepareEmbeddedDatabase(embedded.url, config.dataDir);
    return { url: prepared.appUrl, embedded, applied: prepared.applied, warnings: prepared.warnings };
  } catch (error) {
    await embedded.stop().catch(() => undefined);
    throw error;
  }
}

const generatedSecretsWarning = (config: AppConfig): string =>
  `Using secrets generated in ${config.dataDir}/secrets.json (fine for local use; set JWT_SECRET, MASTER_KEY, SIGNING_KEY and DUPLICATE_KEY in production)`;

const embeddedNote = (config: AppConfig): string => `Embedded PostgreSQL running from ${config.dataDir}/pg on 127.0.0.1:${config.embeddedPgPort}`;

/** Runs the app in this process until SIGTERM or SIGINT, then finishes requests in flight and exits 0. */
async function serve(config: AppConfig, databaseUrl: string, onStarted: (log: (message: string) => void, warn: (message: string) => void) => void, onStopped: () => Promise<void>): Promise<void> {
  const app = await createApp(config, databaseUrl);
  const logger = new Logger('Main');
  onStarted(
    (message) => logger.log(message),
    (message) => logger.warn(message),
  );

  let closing = false;
  const shutdown = async (signal: string): Promise<void> => {
    if (closing) return;
    closing = true;
    logger.log(`${signal} received: finishing requests in flight`);
    await app.close(); // stops accepting, waits for open requests, closes the pool
    await onStopped();
    process.exit(0);
  };
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  process.once('SIGINT', () => void shutdown('SIGINT'));

  await listen(app, config);
  if (!cluster.isWorker) logger.log(`arvut listening on http://localhost:${config.port} (docs at /docs)`);
}

/** On LISTEN_ADDRESS, or on every interface: IPv6 and IPv4 where the machine has IPv6, IPv4 alone otherwise. */
async function listen(app: Awaited<ReturnType<typeof createApp>>, config: AppConfig): Promise<void> {
  if (config.host) return void (await app.listen(config.port, config.host));
  try {
    await app.listen(config.port, '::');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EAFNOSUPPORT' && (error as NodeJS.ErrnoException).code !== 'EADDRNOTAVAIL') throw error;
    await app.listen(config.port, '0.0.0.0');
  }
}

async function runSingle(config: AppConfig): Promise<void> {
  const db = await prepareDatabase(config);
  await serve(
    config,
    db.url,
    (log, warn) => {
      if (config.generatedSecrets) warn(generatedSecretsWarning(config));
      if (db.embedded) log(embeddedNote(config));
      if (db.applied.length) log(`Applied migrations: ${db.applied.join(', ')}`);
      for (const warning of db.warnings) warn(warning);
    },
    async () => {
      await db.embedded?.stop();
    },
  );
}

/** A cluster worker: the primary has prepared the database and passes its URL in DATABASE_URL. */
async function runWorker(): Promise<void> {
  const config = loadConfig();
  if (!config.databaseUrl) throw new Error('a cluster worker needs DATABASE_URL from the primary');
  await serve(
    config,
    config.databaseUrl,
    () => undefined,
    async () => undefined,
  );
}

/**
 * The cluster primary: prepares the database, forks the workers and supervises them. A
 * worker that dies after it was serving is replaced; one that cannot start stops the whole
 * server (exit 1), as a failed start does without a cluster. On SIGTERM or SIGINT each
 * worker gets SIGTERM and finishes its requests in flight; when all have exited the
 * embedded PostgreSQL is stopped and the primary exits 0.
 */
async function runPrimary(config: AppConfig): Promise<void> {
  const log = pino({ level: config.logLevel }).child({ context: 'Primary' });
  const db = await prepareDatabase(config);
  if (config.generatedSecrets) log.warn(generatedSecretsWarning(config));
  if (db.embedded) log.info(embeddedNote(config));
  if (db.applied.length) log.info(`Applied migrations: ${db.applied.join(', ')}`);
  for (const warning of db.warnings) log.warn(warning);

  const workers = new Set<Worker>();
  const listening = new Set<Worker>();
  let started = false;
  let stopping = false;
  let exitCode = 0;

  const stop = async (code: number, reason: string): Promise<void> => {
    if (stopping) return;
    stopping = true;
    exitCode = code;
    log.info(`${reason}: stopping ${workers.size} worker(s), each finishing its requests in flight`);
    for (const worker of workers) worker.process.kill('SIGTERM');
    await new Promise<void>((resolve) => {
      if (workers.size === 0) resolve();
      else cluster.on('exit', () => workers.size === 0 && resolve());
    });
    await db.embedded?.stop();
    process.exit(exitCode);
  };

  const fork = (): void => {
    // The embedded server's URL reaches the workers here; their own secrets come from the
    // same environment or data directory as the primary's.
    const worker = cluster.fork({ DATABASE_URL: db.url });
    workers.add(worker);
    worker.once('listening', () => {
      listening.add(worker);
      if (!started && listening.size === config.webConcurrency) {
        started = true;
        log.info(`arvut listening on http://localhost:${config.port} (docs at /docs), ${config.webConcurrency} workers`);
      }
    });
    worker.once('exit', (code, signal) => {
      workers.delete(worker);
      const served = listening.delete(worker);
      if (stopping) {
        if (code !== 0 && code !== null) exitCode = 1;
        return;
      }
      const how = signal ? `signal ${signal}` : `code ${code}`;
      if (!served) {
        log.error(`a worker exited (${how}) before it was serving: stopping`);
        void stop(1, 'start-up failed');
        return;
      }
      log.error(`worker ${worker.process.pid} exited (${how}): starting another`);
      fork();
    });
  };

  process.once('SIGTERM', () => void stop(0, 'SIGTERM received'));
  process.once('SIGINT', () => void stop(0, 'SIGINT received'));
  for (let i = 0; i < config.webConcurrency; i++) fork();
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError) {
    console.error(`Configuration error: ${error.message}`);
  } else {
    console.error('arvut failed to start:', error instanceof Error ? error.message : error);
  }
  process.exit(1);
});
