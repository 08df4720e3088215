// The circle page's short-lived read link (pure; docs/pages.md "The circle's page"): a token
// that says "user U may read circle C's page until T", signed with an HMAC key of the server.
// Nothing is stored: the signature and the expiry say whether it is genuine and current, and
// the reader's membership is checked again at every use.
import { createHmac, timingSafeEqual } from 'node:crypto';

export interface ReadLinkClaims {
  circleId: string;
  userId: string;
  /** Milliseconds since the epoch. */
  expiresAt: number;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** The HMAC key, derived from the server's JWT secret for this one purpose. */
export function readLinkKey(jwtSecret: string): Buffer {
  return createHmac('sha256', jwtSecret).update('arvut circle page read link v1').digest();
}

function mac(key: Buffer, payload: string): Buffer {
  return createHmac('sha256', key).update(payload).digest();
}

/** `<circleId>.<userId>.<expiresAt>.<base64url HMAC>`. */
export function signReadLink(key: Buffer, claims: ReadLinkClaims): string {
  const payload = `${claims.circleId}.${claims.userId}.${claims.expiresAt}`;
  return `${payload}.${mac(key, payload).toString('base64url')}`;
}

/** The claims of a genuine, unexpired token; undefined for anything else. */
export function openReadLink(key: Buffer, token: unknown, now: number = Date.now()): ReadLinkClaims | undefined {
  if (typeof token !== 'string' || token.length > 200) return undefined;
  const parts = token.split('.');
  if (parts.length !== 4) return undefined;
  const [circleId, userId, expires, signature] = parts;
  if (!UUID.test(circleId) || !UUID.test(userId) || !/^\d{1,15}$/.test(expires)) return undefined;
  const expected = mac(key, `${circleId}.${userId}.${expires}`);
  const given = Buffer.from(signature, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
  const expiresAt = Number(expires);
  if (expiresAt <= now) return undefined;
  return { circleId, userId, expiresAt };
}
