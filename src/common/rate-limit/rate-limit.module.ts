import { Module } from '@nestjs/common';
import { PgThrottlerStorage } from './pg-throttler-storage.js';

/** Shared rate-limit counters in PostgreSQL; a module imports this and extends RateLimitGuard with its rules. */
@Module({ providers: [PgThrottlerStorage], exports: [PgThrottlerStorage] })
export class RateLimitModule {}
