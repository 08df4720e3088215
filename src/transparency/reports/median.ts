// Medians for reports (pure).

/** The median of `values` (mean of the middle two for an even count); null for none. */
export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

const DAY_MS = 86_400_000;

/** The median of durations in milliseconds, in days rounded to one decimal place; null for none. */
export function medianDays(durationsMs: readonly number[]): number | null {
  const m = median(durationsMs);
  return m === null ? null : Math.round((m / DAY_MS) * 10) / 10;
}
