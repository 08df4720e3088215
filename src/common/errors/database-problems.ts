import { DomainError } from './domain-error.js';

/**
 * Maps a SQLSTATE (and the constraint it names, if any) raised by a module's own SQL to the
 * problem it means, or returns undefined when the code is not that module's. A module keeps
 * its mapping next to the SQL that raises the codes and registers it when it starts
 * (`LedgerModule` registers `src/ledger/ledger-problems.ts`), so plumbing never imports a
 * feature.
 */
export type DatabaseProblems = (code: string, constraint: string) => DomainError | undefined;

const registered: DatabaseProblems[] = [];

export function registerDatabaseProblems(mapper: DatabaseProblems): void {
  if (!registered.includes(mapper)) registered.push(mapper);
}

/** The first registered module's answer for this code, if any claims it. */
export function moduleDatabaseProblem(code: string, constraint: string): DomainError | undefined {
  for (const mapper of registered) {
    const problem = mapper(code, constraint);
    if (problem) return problem;
  }
  return undefined;
}
