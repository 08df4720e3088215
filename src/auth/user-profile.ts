/** What other modules may know about a user: never the password hash. */
export interface UserProfile {
  id: string;
  email: string;
  createdAt: Date;
}
