import 'reflect-metadata';
import { loadConfig } from './config/app-config.js';
import { ConfigError } from './config/config-error.js';
import { startEmbeddedPostgres, type EmbeddedServer } from './database/embedded-postgres.js';
import { runMigrations } from './database/migrate.js';
import { createApp } from './bootstrap.js';

async function main(): Promise<void> {
  const config = loadConfig();
  let embedded: EmbeddedServer | undefined;
  let databaseUrl = config.databaseUrl;
  if (!databaseUrl) {
    embedded = await startEmbeddedPostgres({ dataDir: config.dataDir, port: config.embeddedPgPort });
    databaseUrl = embedded.url;
  }
  const applied = await runMigrations(databaseUrl);
  const app = await createApp(config, databaseUrl);
  const logger = app.get((await import('nestjs-pino')).Logger);
  if (config.generatedSecrets) {
    logger.warn(`Using secrets generated in ${config.dataDir}/secrets.json (fine for local use; set JWT_SECRET, MASTER_KEY and SIGNING_KEY in production)`);
  }
  if (embedded) logger.log(`Embedded PostgreSQL running from ${config.dataDir}/pg on 127.0.0.1:${config.embeddedPgPort}`);
  if (applied.length) logger.log(`Applied migrations: ${applied.join(', ')}`);

  let closing = false;
  const shutdown = async (signal: string): Promise<void> => {
    if (closing) return;
    closing = true;
    logger.log(`${signal} received: finishing requests in flight`);
    await app.close(); // stops accepting, waits for open requests, closes the pool
    if (embedded) await embedded.stop();
    process.exit(0);
  };
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  process.once('SIGINT', () => void shutdown('SIGINT'));

  await app.listen(config.port);
  logger.log(`arvut listening on http://localhost:${config.port} (docs at /docs)`);
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError) {
    console.error(`Configuration error: ${error.message}`);
  } else {
    console.error('arvut failed to start:', error instanceof Error ? error.message : error);
  }
  process.exit(1);
});
