import { Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import { clientAddress } from '../../auth/auth-rate-limit.guard.js';
import type { AuthUser } from '../../auth/auth-user.js';
import { PgThrottlerStorage } from '../../common/rate-limit/pg-throttler-storage.js';
import { RateLimitGuard } from '../../common/rate-limit/rate-limit.guard.js';

/** Requests per minute one address may make anonymously, per route. */
export const PUBLIC_READ_LIMIT_PER_MINUTE = 60;

/**
 * Limits anonymous reads of public circles per client address (counted in PostgreSQL, so
 * across instances). Runs after OptionalAuthGuard: a caller with a valid token is a known
 * user and is not counted; a made-up token never gets this far (401).
 */
@Injectable()
export class PublicReadRateLimitGuard extends RateLimitGuard {
  constructor(storage: PgThrottlerStorage, reflector: Reflector) {
    super(
      [
        {
          name: 'anonymous-ip',
          limit: PUBLIC_READ_LIMIT_PER_MINUTE,
          ttlMs: 60_000,
          tracker: (req: FastifyRequest) => ((req as FastifyRequest & { user?: AuthUser }).user ? undefined : clientAddress(req)),
        },
      ],
      storage,
      reflector,
    );
  }
}
