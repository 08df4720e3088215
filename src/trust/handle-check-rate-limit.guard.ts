import { Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import { clientAddress } from '../auth/auth-rate-limit.guard.js';
import type { AuthUser } from '../auth/auth-user.js';
import { PgThrottlerStorage } from '../common/rate-limit/pg-throttler-storage.js';
import { RateLimitGuard } from '../common/rate-limit/rate-limit.guard.js';

/** Handle checks one caller (an account, or an address when anonymous) may make per minute. */
export const HANDLE_CHECK_LIMIT_PER_MINUTE = 30;

/**
 * Handle checks are counted for everyone, signed in or not, so nobody can test guessed
 * handles against a circle at speed (docs/trust.md). Runs after OptionalAuthGuard.
 */
@Injectable()
export class HandleCheckRateLimitGuard extends RateLimitGuard {
  constructor(storage: PgThrottlerStorage, reflector: Reflector) {
    super(
      [
        {
          name: 'handle-check',
          limit: HANDLE_CHECK_LIMIT_PER_MINUTE,
          ttlMs: 60_000,
          tracker: (req: FastifyRequest) => {
            const user = (req as FastifyRequest & { user?: AuthUser }).user;
            return user ? `user:${user.id}` : `ip:${clientAddress(req)}`;
          },
        },
      ],
      storage,
      reflector,
    );
  }
}
