import { isIP } from 'node:net';
import { resolve } from 'node:path';
import { ConfigError } from './config-error.js';
import { loadOrCreateSecrets, type Secrets } from './secrets.js';

/** Validated runtime configuration. Built once at start-up; every field is checked. */
export interface AppConfig {
  readonly production: boolean;
  readonly port: number;
  /** Address the HTTP server listens on; undefined: every interface. */
  readonly host: string | undefined;
  readonly dataDir: string;
  /** When absent, an embedded PostgreSQL is started in `${dataDir}/pg`. */
  readonly databaseUrl: string | undefined;
  /** The role migrations run as (the tables' owner); defaults to databaseUrl. Unused with the embedded server. */
  readonly migrationDatabaseUrl: string | undefined;
  readonly embeddedPgPort: number;
  readonly corsOrigins: readonly string[];
  /**
   * Which proxies in front of the API are believed about the client's address
   * (X-Forwarded-For): false (none; the socket's address counts), a hop count, or the
   * addresses/CIDR ranges of the proxies.
   */
  readonly trustProxy: false | number | readonly string[];
  /** Largest accepted request body in bytes (BODY_LIMIT: b, kb or mb, powers of 1024). */
  readonly bodyLimitBytes: number;
  readonly logLevel: string;
  /** Who runs this server, shown on the home page (OPERATOR_NAME); undefined: no name shown. */
  readonly operatorName: string | undefined;
  readonly jwt: { readonly secret: string; readonly issuer: string; readonly audience: string; readonly accessTtlSeconds: number; readonly refreshTtlDays: number };
  readonly masterKey: Buffer;
  readonly signingKeyPem: string;
  readonly throttle: { readonly loginPerMinutePerIp: number; readonly loginPerMinutePerEmail: number };
  readonly stripe: { readonly secretKey: string | undefined; readonly webhookSecret: string | undefined; readonly apiHost: string | undefined; readonly apiPort: number | undefined; readonly apiProtocol: 'http' | 'https' | undefined };
  readonly jobsEnabled: boolean;
  readonly generatedSecrets: boolean;
  /** HTTP worker processes started by src/main.ts (node:cluster); 1 runs everything in one process. */
  readonly webConcurrency: number;
  /** Most connections the app's pool opens, per process (each cluster worker has its own pool). */
  readonly databasePoolSize: number;
  /** Bytes of complete receipt-feed pages each process keeps (FEED_CACHE_MB; 0 keeps none). */
  readonly feedCacheBytes: number;
  /**
   * Webhook endpoints may be plain http and reach loopback or private addresses
   * (WEBHOOK_ALLOW_PRIVATE; for development and tests only).
   */
  readonly webhookAllowPrivate: boolean;
  /** Requests per minute one API key may make (API_KEY_LIMIT_PER_MINUTE). */
  readonly apiKeyLimitPerMinute: number;
}

export { ConfigError };

type Env = Record<string, string | undefined>;

function int(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!/^\d+$/.test(raw)) throw new ConfigError(`${name} must be a whole number, got "${raw}"`);
  const value = Number(raw);
  if (value < min || value > max) throw new ConfigError(`${name} must be between ${min} and ${max}, got ${value}`);
  return value;
}

function bool(env: Env, name: string, fallback: boolean): boolean {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (['1', 'true', 'yes'].includes(raw.toLowerCase())) return true;
  if (['0', 'false', 'no'].includes(raw.toLowerCase())) return false;
  throw new ConfigError(`${name} must be true or false, got "${raw}"`);
}

/** TRUST_PROXY: unset (trust no proxy), a hop count 1–10, or a comma-separated list of proxy addresses or CIDR ranges. */
function trustProxy(env: Env): false | number | string[] {
  const raw = env.TRUST_PROXY?.trim();
  if (!raw || raw === 'false') return false;
  if (/^\d+$/.test(raw)) return int(env, 'TRUST_PROXY', 0, 1, 10);
  const entries = raw.split(',').map((e) => e.trim()).filter(Boolean);
  for (const entry of entries) {
    const [address, prefix, ...rest] = entry.split('/');
    const family = isIP(address);
    const bits = family === 4 ? 32 : 128;
    const prefixOk = prefix === undefined || (/^\d+$/.test(prefix) && Number(prefix) <= bits);
    if (!family || !prefixOk || rest.length) throw new ConfigError(`TRUST_PROXY entry "${entry}" must be an IP address or a CIDR range such as 10.0.0.0/8 (or give a hop count)`);
  }
  return entries;
}

function optional(env: Env, name: string): string | undefined {
  const raw = env[name]?.trim();
  return raw ? raw : undefined;
}

/**
 * Reads the environment. Secrets come from the environment in production; with the
 * embedded default they are generated once and kept in the data directory.
 */
export function loadConfig(env: Env = process.env): AppConfig {
  const production = env.NODE_ENV === 'production';
  const dataDir = resolve(env.ARVUT_DATA_DIR || './.arvut');
  const databaseUrl = optional(env, 'DATABASE_URL');
  if (databaseUrl && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    throw new ConfigError('DATABASE_URL must be a postgres:// or postgresql:// URL');
  }
  if (production && !databaseUrl) throw new ConfigError('DATABASE_URL is required when NODE_ENV=production');
  const migrationDatabaseUrl = optional(env, 'MIGRATION_DATABASE_URL');
  if (migrationDatabaseUrl && !/^postgres(ql)?:\/\//.test(migrationDatabaseUrl)) throw new ConfigError('MIGRATION_DATABASE_URL must be a postgres:// or postgresql:// URL');
  if (migrationDatabaseUrl && !databaseUrl) throw new ConfigError('MIGRATION_DATABASE_URL needs DATABASE_URL (the embedded server sets up its own roles)');

  const secrets: Secrets = loadOrCreateSecrets(env, dataDir, production);
  const corsOrigins = (env.CORS_ORIGINS ?? '')
    .split(',')
    .map((o) => o.trim())
    .filter(Boolean);
  for (const origin of corsOrigins) {
    if (!/^https?:\/\/[^/\s]+$/.test(origin)) throw new ConfigError(`CORS_ORIGINS entry "${origin}" must be an origin like https://app.example.org`);
  }
  const bodyLimit = /^(\d+)(b|kb|mb)$/i.exec(env.BODY_LIMIT || '100kb');
  if (!bodyLimit) throw new ConfigError('BODY_LIMIT must look like 100kb or 1mb');
  const bodyLimitBytes = Number(bodyLimit[1]) * { b: 1, kb: 1024, mb: 1024 * 1024 }[bodyLimit[2].toLowerCase() as 'b' | 'kb' | 'mb'];
  if (bodyLimitBytes < 1 || !Number.isSafeInteger(bodyLimitBytes)) throw new ConfigError('BODY_LIMIT must be at least 1b');
  const stripeProtocol = optional(env, 'STRIPE_API_PROTOCOL');
  if (stripeProtocol && stripeProtocol !== 'http' && stripeProtocol !== 'https') throw new ConfigError('STRIPE_API_PROTOCOL must be http or https');

  return {
    production,
    port: int(env, 'PORT', 3000, 0, 65535),
    host: optional(env, 'LISTEN_ADDRESS'),
    dataDir,
    databaseUrl,
    migrationDatabaseUrl,
    embeddedPgPort: int(env, 'ARVUT_PG_PORT', 54329, 1024, 65535),
    corsOrigins,
    bodyLimitBytes,
    trustProxy: trustProxy(env),
    logLevel: env.LOG_LEVEL || (env.NODE_ENV === 'test' ? 'silent' : 'info'),
    operatorName: operatorName(env),
    jwt: {
      secret: secrets.jwtSecret,
      issuer: env.JWT_ISSUER || 'arvut',
      audience: env.JWT_AUDIENCE || 'arvut-api',
      accessTtlSeconds: int(env, 'ACCESS_TOKEN_TTL_SECONDS', 900, 30, 3600),
      refreshTtlDays: int(env, 'REFRESH_TOKEN_TTL_DAYS', 30, 1, 365),
    },
    masterKey: secrets.masterKey,
    signingKeyPem: secrets.signingKeyPem,
    throttle: {
      loginPerMinutePerIp: int(env, 'LOGIN_LIMIT_PER_IP', 20, 1, 100000),
      loginPerMinutePerEmail: int(env, 'LOGIN_LIMIT_PER_EMAIL', 5, 1, 100000),
    },
    stripe: {
      secretKey: optional(env, 'STRIPE_SECRET_KEY'),
      webhookSecret: optional(env, 'STRIPE_WEBHOOK_SECRET'),
      apiHost: optional(env, 'STRIPE_API_HOST'),
      apiPort: env.STRIPE_API_PORT ? int(env, 'STRIPE_API_PORT', 443, 1, 65535) : undefined,
      apiProtocol: stripeProtocol as 'http' | 'https' | undefined,
    },
    jobsEnabled: bool(env, 'JOBS_ENABLED', env.NODE_ENV !== 'test'),
    generatedSecrets: secrets.generated,
    webConcurrency: int(env, 'WEB_CONCURRENCY', 1, 1, 64),
    databasePoolSize: int(env, 'DATABASE_POOL_SIZE', 20, 1, 1000),
    feedCacheBytes: int(env, 'FEED_CACHE_MB', 64, 0, 4096) * 1024 * 1024,
    webhookAllowPrivate: bool(env, 'WEBHOOK_ALLOW_PRIVATE', false),
    apiKeyLimitPerMinute: int(env, 'API_KEY_LIMIT_PER_MINUTE', 600, 1, 1_000_000),
  };
}

/** OPERATOR_NAME: printable text of at most 100 characters (it is shown on the home page). */
function operatorName(env: Env): string | undefined {
  const name = optional(env, 'OPERATOR_NAME');
  if (!name) return undefined;
  // eslint-disable-next-line no-control-regex
  if (name.length > 100 || /[\u0000-\u001f\u007f]/.test(name)) throw new ConfigError('OPERATOR_NAME must be at most 100 printable characters');
  return name;
}

export const APP_CONFIG = Symbol('APP_CONFIG');
