import { applyDecorators, SetMetadata, UseInterceptors } from '@nestjs/common';
import { ApiHeader, ApiResponse } from '@nestjs/swagger';
import { IdempotencyInterceptor } from './idempotency.interceptor.js';
import { IDEMPOTENCY_KEY_HEADER, IDEMPOTENCY_KEY_SCHEMA, IDEMPOTENCY_RETENTION_HOURS, IDEMPOTENT_ONE_WRITE } from './idempotency-request.js';

/**
 * Makes a handler require an Idempotency-Key and run, with its service calls, in one
 * transaction that also stores the response for replay (docs/idempotency.md). Per docs/design.md "Idempotency",
 * every POST that moves money or creates a money-bearing record uses it.
 */
export function Idempotent(options: { oneWrite?: boolean } = {}): MethodDecorator {
  return applyDecorators(
    UseInterceptors(IdempotencyInterceptor),
    SetMetadata(IDEMPOTENT_ONE_WRITE, options.oneWrite === true),
    ApiHeader({
      name: IDEMPOTENCY_KEY_HEADER,
      required: true,
      description:
        'A fresh unique value (e.g. a UUID) per operation; resend the same value to retry it safely. ' +
        `Kept ${IDEMPOTENCY_RETENTION_HOURS} h per caller. A replay returns the stored response with \`Idempotency-Replayed: true\`; ` +
        'the same key with a different request is 422, while the first is still running 409.',
      schema: IDEMPOTENCY_KEY_SCHEMA,
    }),
    ApiResponse({ status: 400, description: 'Idempotency-Key missing (idempotency-key-missing) or request invalid' }),
    ApiResponse({ status: 409, description: 'A request with this key is still in flight (idempotency-key-in-flight)' }),
    ApiResponse({ status: 422, description: 'This key was used with a different request (idempotency-key-reused)' }),
  );
}
