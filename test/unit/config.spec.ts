import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, loadConfig } from '../../src/config/app-config.js';

const strong = () => ({
  JWT_SECRET: randomBytes(48).toString('base64url'),
  MASTER_KEY: randomBytes(32).toString('base64'),
  SIGNING_KEY: generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
  DUPLICATE_KEY: randomBytes(32).toString('base64'),
});

function configError(env: Record<string, string>): ConfigError {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('loadConfig accepted the configuration');
}

describe('configuration', () => {
  let dataDir: string;
  beforeEach(() => {
    dataDir = join(mkdtempSync(join(tmpdir(), 'arvut-config-')), 'data');
  });
  afterEach(() => {
    rmSync(join(dataDir, '..'), { recursive: true, force: true });
  });

  describe('in production', () => {
    const base = () => ({ NODE_ENV: 'production', DATABASE_URL: 'postgres://arvut@db.internal:5432/arvut', ARVUT_DATA_DIR: dataDir });

    it('starts with strong secrets from the environment and writes no secrets file', () => {
      const config = loadConfig({ ...base(), ...strong() });
      expect(config.production).toBe(true);
      expect(config.generatedSecrets).toBe(false);
      expect(() => statSync(join(dataDir, 'secrets.json'))).toThrow();
    });

    it('refuses to start without the secrets and names each missing one', () => {
      const error = configError(base());
      expect(error.message).toMatch(/JWT_SECRET/);
      expect(error.message).toMatch(/MASTER_KEY/);
      expect(error.message).toMatch(/SIGNING_KEY/);
      expect(error.message).toMatch(/DUPLICATE_KEY/);
    });

    it('refuses to start when only one secret is missing', () => {
      const { MASTER_KEY: _omitted, ...rest } = strong();
      expect(configError({ ...base(), ...rest }).message).toMatch(/MASTER_KEY/);
    });

    it.each([
      ['JWT_SECRET', 'changeme'],
      ['JWT_SECRET', 'a'.repeat(64)],
      ['MASTER_KEY', Buffer.alloc(32).toString('base64')],
      ['MASTER_KEY', randomBytes(16).toString('base64')],
      ['DUPLICATE_KEY', Buffer.alloc(32).toString('base64')],
      ['DUPLICATE_KEY', randomBytes(16).toString('base64')],
      ['SIGNING_KEY', 'not a key'],
      ['SIGNING_KEY', generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString()],
    ])('refuses a weak or malformed %s', (name, value) => {
      const error = configError({ ...base(), ...strong(), [name]: value });
      expect(error.message).toContain(name);
      // The message explains the fix and never repeats the rejected value.
      expect(error.message).not.toContain(value);
    });

    it('requires DATABASE_URL (no embedded PostgreSQL in production)', () => {
      const { DATABASE_URL: _omitted, ...rest } = base();
      expect(configError({ ...rest, ...strong() }).message).toMatch(/DATABASE_URL/);
    });
  });

  describe('with the embedded default', () => {
    it('generates secrets once into secrets.json with mode 0600 and reuses them', () => {
      const first = loadConfig({ ARVUT_DATA_DIR: dataDir });
      expect(first.generatedSecrets).toBe(true);
      const file = join(dataDir, 'secrets.json');
      expect(statSync(file).mode & 0o777).toBe(0o600);
      const stored = readFileSync(file, 'utf8');

      const second = loadConfig({ ARVUT_DATA_DIR: dataDir });
      expect(second.jwt.secret).toBe(first.jwt.secret);
      expect(second.masterKey.equals(first.masterKey)).toBe(true);
      expect(second.signingKeyPem).toBe(first.signingKeyPem);
      expect(second.duplicateKey.equals(first.duplicateKey)).toBe(true);
      expect(readFileSync(file, 'utf8')).toBe(stored);
    });

    it('adds a duplicate-check key to a secrets file written before it existed, keeping the other secrets', () => {
      const first = loadConfig({ ARVUT_DATA_DIR: dataDir });
      const file = join(dataDir, 'secrets.json');
      const { duplicateKey: _dropped, ...older } = JSON.parse(readFileSync(file, 'utf8')) as Record<string, string>;
      writeFileSync(file, JSON.stringify(older));
      const second = loadConfig({ ARVUT_DATA_DIR: dataDir });
      expect(second.masterKey.equals(first.masterKey)).toBe(true);
      expect(second.duplicateKey).toHaveLength(32);
      expect(loadConfig({ ARVUT_DATA_DIR: dataDir }).duplicateKey.equals(second.duplicateKey)).toBe(true);
    });

    it('gives a fresh data directory different secrets', () => {
      const a = loadConfig({ ARVUT_DATA_DIR: join(dataDir, 'a') });
      const b = loadConfig({ ARVUT_DATA_DIR: join(dataDir, 'b') });
      expect(a.jwt.secret).not.toBe(b.jwt.secret);
      expect(a.masterKey.equals(b.masterKey)).toBe(false);
    });

    it('uses the documented defaults', () => {
      const config = loadConfig({ ARVUT_DATA_DIR: dataDir });
      expect(config).toMatchObject({ port: 3000, host: undefined, databaseUrl: undefined, embeddedPgPort: 54329, bodyLimitBytes: 100 * 1024, trustProxy: false, corsOrigins: [], production: false, webConcurrency: 1, databasePoolSize: 20, feedCacheBytes: 64 * 1024 * 1024 });
    });
  });

  it.each([
    ['PORT', 'eighty'],
    ['CORS_ORIGINS', 'app.example.org'],
    ['BODY_LIMIT', 'lots'],
    ['DATABASE_URL', 'mysql://localhost/arvut'],
    ['WEB_CONCURRENCY', '0'],
    ['DATABASE_POOL_SIZE', 'many'],
    ['FEED_CACHE_MB', '-1'],
    ['TRUST_PROXY', '11'],
    ['TRUST_PROXY', 'proxy.example.org'],
    ['TRUST_PROXY', '10.0.0.0/33'],
  ])('rejects a malformed %s with a ConfigError naming it', (name, value) => {
    expect(configError({ ARVUT_DATA_DIR: dataDir, [name]: value }).message).toContain(name);
  });

  it('reads TRUST_PROXY as a hop count or a list of proxy addresses and ranges', () => {
    expect(loadConfig({ ARVUT_DATA_DIR: dataDir, TRUST_PROXY: '2' }).trustProxy).toBe(2);
    expect(loadConfig({ ARVUT_DATA_DIR: dataDir, TRUST_PROXY: '10.0.0.0/8, 192.0.2.7,::1' }).trustProxy).toEqual(['10.0.0.0/8', '192.0.2.7', '::1']);
  });
});
