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
}
