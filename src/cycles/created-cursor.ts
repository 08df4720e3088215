/**
 * A `created_at` page key with PostgreSQL's full microseconds: a JavaScript Date keeps only
 * milliseconds, and rows written in one transaction (a week's payouts) share a timestamp,
 * so a millisecond key would skip or repeat rows at a page boundary.
 */
export function createdKeySql(alias: string): string {
  return `to_char(${alias}.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;
}
