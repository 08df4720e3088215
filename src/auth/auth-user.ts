/** The authenticated principal attached to a request by the JWT strategy. */
export interface AuthUser {
  /** users.id */
  id: string;
  /** The refresh-token family (login session) the access token belongs to. */
  sessionId: string;
}
