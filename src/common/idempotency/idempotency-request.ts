import { createHash } from 'node:crypto';
import { DomainError } from '../errors/domain-error.js';

/** How long a key and its stored response are kept: the draft asks for at least 24 hours. */
export const IDEMPOTENCY_RETENTION_HOURS = 24;

/** The request header, as the IETF httpapi draft names it. */
export const IDEMPOTENCY_KEY_HEADER = 'Idempotency-Key';

/** The header's value as the OpenAPI contract describes it. */
export const IDEMPOTENCY_KEY_SCHEMA = { type: 'string', minLength: 1, maxLength: 255, pattern: '^[\\x20-\\x7E]+$' } as const;

/** Set on a response that replays the one stored for the key. */
export const IDEMPOTENCY_REPLAYED_HEADER = 'Idempotency-Replayed';

const PRINTABLE_ASCII = /^[\x20-\x7e]{1,255}$/;
const SF_STRING = /^"((?:[\x20\x21\x23-\x5b\x5d-\x7e]|\\["\\])*)"$/;

/**
 * The key from the header value: undefined when absent, null when present but not 1–255
 * printable ASCII characters. The draft sends the key as a structured-field string
 * ("…" with \" and \\ escapes); a bare value is accepted as well.
 */
export function parseIdempotencyKey(header: string | string[] | undefined): string | null | undefined {
  if (header === undefined) return undefined;
  if (Array.isArray(header)) return header.length === 1 ? parseIdempotencyKey(header[0]) : null;
  const quoted = SF_STRING.exec(header);
  const key = quoted ? quoted[1].replace(/\\(["\\])/g, '$1') : header;
  return PRINTABLE_ASCII.test(key) ? key : null;
}

/** The key a request sent, if any; a 400 problem when it is malformed. */
export function optionalIdempotencyKey(header: string | string[] | undefined): string | undefined {
  const key = parseIdempotencyKey(header);
  if (key === null) {
    const message = 'Idempotency-Key must be 1 to 255 printable ASCII characters';
    throw new DomainError('validation-failed', `${message}.`, { errors: [{ field: 'Idempotency-Key', message }] });
  }
  return key;
}

/** The key of an operation that requires one; a 400 problem when it is missing or malformed. */
export function requiredIdempotencyKey(header: string | string[] | undefined): string {
  const key = optionalIdempotencyKey(header);
  if (key === undefined) throw new DomainError('idempotency-key-missing', 'Send an Idempotency-Key header (a fresh random value per operation, e.g. a UUID).');
  return key;
}

/** JSON with object keys sorted at every level, so bodies that mean the same hash the same. */
export function canonicalJson(value: unknown): string {
  if (value === undefined) return '';
  if (Array.isArray(value)) return `[${value.map((v) => (v === undefined ? 'null' : canonicalJson(v))).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const record = value as Record<string, unknown>;
    const members = Object.keys(record)
      .filter((k) => record[k] !== undefined)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonicalJson(record[k])}`);
    return `{${members.join(',')}}`;
  }
  return JSON.stringify(value);
}

/** Hex SHA-256 of method, path (with query) and canonical body: what "the same request" means. */
export function requestFingerprint(method: string, url: string, body: unknown): string {
  return createHash('sha256').update(`${method.toUpperCase()} ${url}\n${canonicalJson(body)}`).digest('hex');
}

/**
 * Route metadata of `@Idempotent({ oneWrite: true })`: the handler is first tried in one write
 * (runInOneWrite in idempotency-store.ts), which it supports by sending every statement
 * without waiting while inOneWriteAttempt() is true.
 */
export const IDEMPOTENT_ONE_WRITE = 'arvut:idempotent-one-write';
