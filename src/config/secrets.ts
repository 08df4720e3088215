import { generateKeyPairSync, randomBytes, createPrivateKey } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError } from './config-error.js';

export interface Secrets {
  jwtSecret: string;
  masterKey: Buffer;
  signingKeyPem: string;
  /** The HMAC key of the duplicate checks' keyed digests (docs/trust.md); never leaves the server. */
  duplicateKey: Buffer;
  /** True when any secret came from the generated file rather than the environment. */
  generated: boolean;
}

interface StoredSecrets {
  jwtSecret: string;
  masterKey: string;
  signingKeyPem: string;
  /** Absent from files written before duplicate checks existed: added on the next start. */
  duplicateKey?: string;
}

const WEAK = /^(secret|changeme|password|test|dev|development|arvut)+$/i;

function checkJwtSecret(value: string): string {
  if (value.length < 32 || WEAK.test(value) || new Set(value).size < 10) {
    throw new ConfigError('JWT_SECRET must be at least 32 characters of random data (e.g. `openssl rand -base64 48`)');
  }
  return value;
}

/** 32 random bytes in base64 (MASTER_KEY, DUPLICATE_KEY); the message names the variable, never the value. */
function checkRandomKey(name: string, value: string): Buffer {
  const key = Buffer.from(value, 'base64');
  if (key.length !== 32 || key.toString('base64') !== value.replace(/\s/g, '')) {
    throw new ConfigError(`${name} must be 32 random bytes in base64 (e.g. \`openssl rand -base64 32\`)`);
  }
  if (new Set(key).size < 8) throw new ConfigError(`${name} is too weak: use 32 random bytes`);
  return key;
}

const checkMasterKey = (value: string): Buffer => checkRandomKey('MASTER_KEY', value);
const checkDuplicateKey = (value: string): Buffer => checkRandomKey('DUPLICATE_KEY', value);

function checkSigningKey(pem: string): string {
  try {
    const key = createPrivateKey(pem.replace(/\\n/g, '\n'));
    if (key.asymmetricKeyType !== 'ed25519') throw new Error('not ed25519');
    return key.export({ type: 'pkcs8', format: 'pem' }).toString();
  } catch {
    throw new ConfigError('SIGNING_KEY must be an Ed25519 private key in PKCS#8 PEM (e.g. `openssl genpkey -algorithm ed25519`)');
  }
}

function generate(): StoredSecrets {
  const { privateKey } = generateKeyPairSync('ed25519');
  return {
    jwtSecret: randomBytes(48).toString('base64url'),
    masterKey: randomBytes(32).toString('base64'),
    signingKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    duplicateKey: randomBytes(32).toString('base64'),
  };
}

/**
 * Environment first. Outside production a missing secret is generated once and kept in
 * `${dataDir}/secrets.json` (mode 0600) so restarts keep sessions, vault and signatures valid.
 */
export function loadOrCreateSecrets(env: Record<string, string | undefined>, dataDir: string, production: boolean): Secrets {
  const fromEnv = { jwt: env.JWT_SECRET, master: env.MASTER_KEY, signing: env.SIGNING_KEY, duplicate: env.DUPLICATE_KEY };
  if (production) {
    const missing = [!fromEnv.jwt && 'JWT_SECRET', !fromEnv.master && 'MASTER_KEY', !fromEnv.signing && 'SIGNING_KEY', !fromEnv.duplicate && 'DUPLICATE_KEY'].filter(Boolean);
    if (missing.length) throw new ConfigError(`NODE_ENV=production requires ${missing.join(', ')} (see docs/operations.md)`);
    return {
      jwtSecret: checkJwtSecret(fromEnv.jwt!),
      masterKey: checkMasterKey(fromEnv.master!),
      signingKeyPem: checkSigningKey(fromEnv.signing!),
      duplicateKey: checkDuplicateKey(fromEnv.duplicate!),
      generated: false,
    };
  }
  let stored: StoredSecrets | undefined;
  if (!fromEnv.jwt || !fromEnv.master || !fromEnv.signing || !fromEnv.duplicate) {
    const file = join(dataDir, 'secrets.json');
    if (existsSync(file)) {
      stored = JSON.parse(readFileSync(file, 'utf8')) as StoredSecrets;
      if (!stored.duplicateKey) {
        stored.duplicateKey = randomBytes(32).toString('base64');
        writeFileSync(file, JSON.stringify(stored, null, 2), { mode: 0o600 });
      }
    } else {
      stored = generate();
      mkdirSync(dataDir, { recursive: true, mode: 0o700 });
      writeFileSync(file, JSON.stringify(stored, null, 2), { mode: 0o600 });
    }
    chmodSync(file, 0o600);
  }
  return {
    jwtSecret: checkJwtSecret(fromEnv.jwt ?? stored!.jwtSecret),
    masterKey: checkMasterKey(fromEnv.master ?? stored!.masterKey),
    signingKeyPem: checkSigningKey(fromEnv.signing ?? stored!.signingKeyPem),
    duplicateKey: checkDuplicateKey(fromEnv.duplicate ?? stored!.duplicateKey!),
    generated: !fromEnv.jwt || !fromEnv.master || !fromEnv.signing || !fromEnv.duplicate,
  };
}
