/** The authenticated principal attached to a request by the JWT strategy. */
export interface AuthUser {
  /** users.id */
  id: string;
  /** The refresh-token family (login session) the access token belongs to. */
  sessionId: string;
  /**
   * Set when the caller is an API key rather than a person: then `id` and `sessionId` are the
   * key's id, and the key acts with `role` in `circleId` only (src/circles/api-keys.service.ts).
   */
  apiKey?: { circleId: string; role: string };
  /**
   * Set when the guard left the session check to the request's transaction (a handler tried
   * in one write, docs/idempotency.md "One write"): until one of these has run, the session
   * has not been checked. The interceptor sends it as the write's first statement, or, on the
   * ordinary path, requires it before anything else.
   */
  deferredSessionCheck?: DeferredSessionCheck;
}

/** A session check left to the request: sent ahead in its transaction, or run now. */
export interface DeferredSessionCheck {
  /** Sends the check without waiting; it aborts the transaction when the session is not live. */
  sendAhead(): void;
  /** Runs the check now: the guard's 401 when the session is not live. */
  require(): Promise<void>;
}
