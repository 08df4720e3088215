import { createHash, randomBytes } from 'node:crypto';

/** How long a recipient's acknowledgement link works after it is issued. */
export const ACKNOWLEDGEMENT_TTL_DAYS = 30;

/** 32 random bytes, base64url: 43 characters. */
export const ACKNOWLEDGEMENT_TOKEN = /^[A-Za-z0-9_-]{43}$/;

export function newAcknowledgementToken(): string {
  return randomBytes(32).toString('base64url');
}

/** Only this hash is stored: a database reader cannot acknowledge on the recipient's behalf. */
export function hashAcknowledgementToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}
