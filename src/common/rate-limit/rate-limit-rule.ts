import type { FastifyRequest } from 'fastify';

/** One counter a RateLimitGuard keeps per request: what is counted, how many per window. */
export interface RateLimitRule {
  /** Part of the counter key; also what @SkipRateLimit(name) refers to. */
  readonly name: string;
  readonly limit: number;
  readonly ttlMs: number;
  /** How long the key is refused once over the limit; defaults to the window. */
  readonly blockMs?: number;
  /** What this request counts against (an IP, an account); undefined skips the rule for it. */
  tracker(req: FastifyRequest): string | undefined;
}
