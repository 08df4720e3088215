/**
 * Who made a change a history table records (docs/design.md "State machines"): a signed-in
 * person, the person a private link was given to (no account), a verified payment-provider
 * event, or a scheduled job. Every history table stores it in the same two columns, `actor`
 * and `actor_user_id` (set exactly when the actor is a user).
 */
export type Actor = { kind: 'user'; userId: string } | { kind: 'link' } | { kind: 'provider' } | { kind: 'job' };

export const ACTOR_KINDS = ['user', 'link', 'provider', 'job'] as const;
export type ActorKind = (typeof ACTOR_KINDS)[number];

export const userActor = (userId: string): Actor => ({ kind: 'user', userId });
export const LINK_ACTOR: Actor = { kind: 'link' };
export const PROVIDER_ACTOR: Actor = { kind: 'provider' };
export const JOB_ACTOR: Actor = { kind: 'job' };

/** The history columns of `actor`. */
export function actorColumns(actor: Actor): { actor: ActorKind; actorUserId: string | null } {
  return actor.kind === 'user' ? { actor: 'user', actorUserId: actor.userId } : { actor: actor.kind, actorUserId: null };
}

/** The two checks every history table carries (named ck_<table>_actor and ck_<table>_user_actor). */
export const ACTOR_CHECK = `actor IN ('user', 'link', 'provider', 'job')`;
export const USER_ACTOR_CHECK = `(actor = 'user') = (actor_user_id IS NOT NULL)`;
