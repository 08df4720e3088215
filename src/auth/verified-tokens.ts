/** passport-jwt's signature check: (token, key, options, callback) → the token's claims or an error. */
export type TokenVerifier = (token: string, key: unknown, options: unknown, callback: (error: Error | null, payload?: Record<string, unknown>) => void) => void;

/** A token that passed: its claims, and when it stops being good. */
type Passed = { payload: Record<string, unknown>; expiresAtMs: number };

/** Verified access tokens remembered per process; the oldest is dropped past this many. */
export const VERIFIED_TOKENS_KEPT = 10_000;

/**
 * Wraps `verify` so that a token string already found genuine is not checked again (the
 * HMAC and the claim checks are the largest single cost of an authenticated request that
 * the database does not answer: docs/performance.md). Only successes are kept, keyed by the
 * whole token, so a hit is exactly a string whose signature, algorithm, issuer and audience
 * passed; its expiry is checked again on every hit, and an expired token goes back through
 * `verify`, which refuses it. The signing key is fixed for the life of the process. Revocation
 * is not the token's business: the session check still runs on every request.
 */
export function rememberVerifiedTokens(verify: TokenVerifier, kept = VERIFIED_TOKENS_KEPT, now: () => number = Date.now): TokenVerifier {
  // One memory per key (each strategy holds its own KeyObject, with its own issuer and
  // audience): a token passed under one key is never taken as passed under another.
  const byKey = new WeakMap<object, Map<string, Passed>>();
  const memoryOf = (key: object) => {
    const known = byKey.get(key);
    if (known) return known;
    const fresh = new Map<string, Passed>();
    byKey.set(key, fresh);
    return fresh;
  };
  return (token, key, options, callback) => {
    if (typeof key !== 'object' || key === null) {
      verify(token, key, options, callback);
      return;
    }
    const verified = memoryOf(key);
    const hit = verified.get(token);
    if (hit && now() < hit.expiresAtMs) {
      callback(null, hit.payload);
      return;
    }
    if (hit) verified.delete(token);
    verify(token, key, options, (error, payload) => {
      if (!error && payload && typeof payload.exp === 'number') {
        if (verified.size >= kept) verified.delete(verified.keys().next().value!);
        verified.set(token, { payload: Object.freeze(payload), expiresAtMs: payload.exp * 1000 });
      }
      callback(error, payload);
    });
  };
}
