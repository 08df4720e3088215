import { DomainError } from './errors/domain-error.js';

/**
 * The shape every state machine of arvut shares (docs/design.md "State machines"): a table
 * of moves, each naming the states it may start from and the one it leads to. The module
 * that owns the record keeps the table next to its statuses; the database checks the same
 * pairs where a trigger guards them.
 */
export interface Move<S extends string> {
  readonly from: readonly S[];
  readonly to: S;
}

export type Moves<A extends string, S extends string> = Readonly<Record<A, Move<S>>>;

/**
 * The one answer to a move that cannot start from the record's state, or that lost a race
 * to a concurrent change: 409 `invalid-state`, with `state` naming the state it is in now.
 */
export function invalidState(subject: string, state: string, detail: string): DomainError {
  return new DomainError('invalid-state', `The ${subject} is ${state}: ${detail}`, { state });
}

/** Throws invalidState unless `action` of `moves` may start from `current`. */
export function expectMove<A extends string, S extends string>(subject: string, moves: Moves<A, S>, action: A, current: S): Move<S> {
  const move = moves[action];
  if (!move.from.includes(current)) throw invalidState(subject, current, `${action} needs the ${subject} to be ${move.from.join(' or ')}.`);
  return move;
}

/** The answer when a guarded UPDATE found the record moved on: `state` is what a fresh read says. */
export function lostRace(subject: string, state: string): DomainError {
  return invalidState(subject, state, 'it changed while this request ran; fetch it again.');
}

