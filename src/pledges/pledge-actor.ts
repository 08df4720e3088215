/** Who moved a pledge or contribution: a person, a verified provider event, or the missed-week job. */
export type Actor = { kind: 'user'; userId: string } | { kind: 'provider' } | { kind: 'job' };

export const userActor = (userId: string): Actor => ({ kind: 'user', userId });
export const PROVIDER_ACTOR: Actor = { kind: 'provider' };
export const JOB_ACTOR: Actor = { kind: 'job' };

export function actorColumns(actor: Actor): { actor: 'user' | 'provider' | 'job'; actorUserId: string | null } {
  return actor.kind === 'user' ? { actor: 'user', actorUserId: actor.userId } : { actor: actor.kind, actorUserId: null };
}
