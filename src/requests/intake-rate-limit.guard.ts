import { Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { clientAddress } from '../auth/auth-rate-limit.guard.js';
import { PgThrottlerStorage } from '../common/rate-limit/pg-throttler-storage.js';
import { RateLimitGuard } from '../common/rate-limit/rate-limit.guard.js';

/** Requests one address may make per hour to each intake route (the form, asking). */
export const INTAKE_LIMIT_PER_HOUR = 20;

/**
 * Intake links are public by design, so each client address is limited per route (counted in
 * PostgreSQL, so across instances; the counter key is hashed, no address is stored).
 */
@Injectable()
export class IntakeRateLimitGuard extends RateLimitGuard {
  constructor(storage: PgThrottlerStorage, reflector: Reflector) {
    super([{ name: 'intake-ip', limit: INTAKE_LIMIT_PER_HOUR, ttlMs: 3_600_000, tracker: clientAddress }], storage, reflector);
  }
}
