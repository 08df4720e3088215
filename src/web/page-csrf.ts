import Tokens from '@fastify/csrf';
import type { FastifyReply, FastifyRequest } from 'fastify';

/** The cookie holding the per-browser CSRF secret; the form carries a token derived from it. */
const SECRET_COOKIE = 'arvut_csrf';
/** A form older than this is refused (the person reloads the page and sends it again). */
const TOKEN_VALIDITY_MS = 2 * 60 * 60 * 1000;
/** The form field that carries the token. */
export const CSRF_FIELD = '_csrf';

// A factory as well as a constructor; its type declares the call form only.
const tokens = Tokens({ validity: TOKEN_VALIDITY_MS });

/**
 * Double-submit CSRF protection for the pages' forms (docs/pages.md "CSRF", @fastify/csrf):
 * a random secret in an HttpOnly, SameSite=Strict cookie, and in each form a salted,
 * time-stamped HMAC of it. A cross-site form can neither read the token nor send the cookie.
 */
export function csrfTokenFor(req: FastifyRequest, reply: FastifyReply): string {
  const kept = req.cookies?.[SECRET_COOKIE];
  if (kept && /^[A-Za-z0-9_+/=-]{20,64}$/.test(kept)) return tokens.create(kept);
  const secret = tokens.secretSync();
  void reply.setCookie(SECRET_COOKIE, secret, { path: '/', sameSite: 'strict', httpOnly: true, secure: req.protocol === 'https' });
  return tokens.create(secret);
}

/** Whether a submitted form carries a valid token for this browser's secret. */
export function csrfTokenValid(req: FastifyRequest, submitted: unknown): boolean {
  const secret = req.cookies?.[SECRET_COOKIE];
  return typeof secret === 'string' && typeof submitted === 'string' && submitted.length <= 200 && tokens.verify(secret, submitted);
}
