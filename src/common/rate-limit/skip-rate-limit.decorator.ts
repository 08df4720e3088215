import { SetMetadata } from '@nestjs/common';

export const SKIP_RATE_LIMIT = 'arvut:skip-rate-limit';

/** Leaves the named rules of a RateLimitGuard out for a handler or controller. */
export const SkipRateLimit = (...rules: string[]): MethodDecorator & ClassDecorator => SetMetadata(SKIP_RATE_LIMIT, rules);
