import { applyDecorators, UseGuards } from '@nestjs/common';
import { ApiTooManyRequestsResponse, ApiUnauthorizedResponse } from '@nestjs/swagger';
import { Public } from '../../auth/public.decorator.js';
import { CircleReaders } from '../../circles/min-role.decorator.js';
import { OptionalAuthGuard } from './optional-auth.guard.js';
import { PublicReadRateLimitGuard, PUBLIC_READ_LIMIT_PER_MINUTE } from './public-read-rate-limit.guard.js';

/**
 * A read that the circle setting `receiptVisibility: "public"` opens to everyone (reports,
 * receipts). No token is required, but one that is sent is checked, so members get their
 * role's view; anonymous callers are rate-limited per address. The service decides who may
 * read with CircleAccess.requireReader and takes the caller from @OptionalUser().
 */
export function PublicRead(): MethodDecorator {
  return applyDecorators(
    Public(),
    CircleReaders(),
    UseGuards(OptionalAuthGuard, PublicReadRateLimitGuard),
    ApiUnauthorizedResponse({ description: 'unauthenticated: an Authorization header was sent but its token is invalid, expired or revoked (send none to read anonymously)' }),
    ApiTooManyRequestsResponse({ description: `rate-limited: more than ${PUBLIC_READ_LIMIT_PER_MINUTE} anonymous requests a minute from this address; see Retry-After` }),
  );
}
