/**
 * Whether a GET with this `If-None-Match` may be answered 304 Not Modified for a
 * representation whose strong ETag is `etag` (RFC 9110 §13.1.2: weak comparison; `*`
 * matches any current representation).
 */
export function matchesIfNoneMatch(ifNoneMatch: string | undefined, etag: string): boolean {
  if (!ifNoneMatch) return false;
  if (ifNoneMatch.trim() === '*') return true;
  const opaque = (tag: string) => tag.trim().replace(/^W\//, '');
  const wanted = opaque(etag);
  return ifNoneMatch.split(',').some((tag) => opaque(tag) === wanted);
}
