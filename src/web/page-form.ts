import type { Type } from '@nestjs/common';
import { createValidationPipe } from '../common/validation/validation.js';

const pipe = createValidationPipe();

/**
 * A form's fields checked by the same DTO and rules as the JSON API's body (a bad value is
 * the same 400 validation-failed, shown as a page). Only the named fields are passed on
 * (an empty field counts as left out), then `extra`, values the page already converted.
 */
export async function formAs<T extends object>(metatype: Type<T>, body: unknown, fields: readonly string[], extra: Record<string, unknown> = {}): Promise<T> {
  const source = (body ?? {}) as Record<string, unknown>;
  const plain: Record<string, unknown> = {};
  for (const field of fields) {
    const value = source[field];
    if (typeof value === 'string' && value !== '') plain[field] = value;
  }
  Object.assign(plain, extra);
  return (await pipe.transform(plain, { type: 'body', metatype })) as T;
}
