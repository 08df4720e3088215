import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import { createHash } from 'node:crypto';
import { DomainError } from '../errors/domain-error.js';
import { PgThrottlerStorage } from './pg-throttler-storage.js';
import type { RateLimitRule } from './rate-limit-rule.js';
import { SKIP_RATE_LIMIT } from './skip-rate-limit.decorator.js';

/**
 * Counts each request against every rule and refuses with a `rate-limited` problem and
 * `Retry-After` once a counter is over its limit. Same keys and storage contract as
 * @nestjs/throttler's ThrottlerGuard, which cannot be loaded under Jest's ESM runtime
 * (a CommonJS package requiring the ESM-only @nestjs/common 12); the storage implements
 * its ThrottlerStorage, so switching back is a small change. Subclasses supply the rules.
 */
@Injectable()
export abstract class RateLimitGuard implements CanActivate {
  protected constructor(
    private readonly rules: readonly RateLimitRule[],
    private readonly storage: PgThrottlerStorage,
    private readonly reflector: Reflector,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    const skipped = this.reflector.getAllAndOverride<string[] | undefined>(SKIP_RATE_LIMIT, targets) ?? [];
    const req = context.switchToHttp().getRequest<FastifyRequest>();
    for (const rule of this.rules) {
      if (skipped.includes(rule.name)) continue;
      const tracker = rule.tracker(req);
      if (tracker === undefined) continue;
      // Hashed so the table never holds an IP address or an email (invariant 9).
      const key = createHash('sha256').update(`${context.getClass().name}-${context.getHandler().name}-${rule.name}-${tracker}`).digest('hex');
      await countOrRefuse(this.storage, key, rule.ttlMs, rule.limit, rule.blockMs ?? rule.ttlMs, rule.name, 'Too many attempts.');
    }
    return true;
  }
}

/** Counts one request under `key`; over the limit, a `rate-limited` problem with Retry-After, starting with `what`. */
export async function countOrRefuse(storage: PgThrottlerStorage, key: string, ttlMs: number, limit: number, blockMs: number, name: string, what: string): Promise<void> {
  const record = await storage.increment(key, ttlMs, limit, blockMs, name);
  if (record.isBlocked) {
    const seconds = Math.max(1, record.timeToBlockExpire);
    throw new DomainError('rate-limited', `${what} Retry after ${seconds} seconds.`, { headers: { 'Retry-After': String(seconds) } });
  }
}
