// Small-count suppression for reports (pure: no Nest, no database; docs/architecture.md "Conventions"). A count of one
// or two people — two exits "employed", one payout acknowledged — can point at a neighbour
// everyone knows, so anyone but an organizer sees such counts as "<3" (docs/design.md
// "Transparency": small counts suppressed in public views).

/** Counts below this are suppressed. */
export const SMALL_COUNT_THRESHOLD = 3;

/** What a suppressed count reads as. */
export const SMALL_COUNT = '<3';

export type ReportCount = number | typeof SMALL_COUNT;

/** Organizers run the circle and already see the roster: they get exact counts. Everyone else, signed in or not, gets suppressed ones. */
export function seesExactCounts(role: string | null): boolean {
  return role === 'organizer';
}

/** `count` as the viewer may see it: "<3" for 0, 1 and 2 unless `exact`. */
export function reportCount(count: number, exact: boolean): ReportCount {
  if (!Number.isInteger(count) || count < 0) throw new RangeError(`a count is a whole number ≥ 0, got ${count}`);
  return exact || count >= SMALL_COUNT_THRESHOLD ? count : SMALL_COUNT;
}

/** Applies `reportCount` to each value of a record (e.g. exits by reason). */
export function reportCounts<K extends string>(counts: Record<K, number>, exact: boolean): Record<K, ReportCount> {
  return Object.fromEntries(Object.entries<number>(counts).map(([k, n]) => [k, reportCount(n, exact)])) as Record<K, ReportCount>;
}
