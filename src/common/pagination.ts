import { ApiProperty } from '@nestjs/swagger';
import { DomainError } from './errors/domain-error.js';
import { Cursor, PageLimit } from './validation/decorators.js';

export class PageQueryDto {
  @PageLimit()
  limit?: number;

  @Cursor()
  cursor?: string;
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export type CursorKey = readonly (string | number)[];

export function encodeCursor(key: CursorKey): string {
  return Buffer.from(JSON.stringify(key)).toString('base64url');
}

/** Decodes a cursor made by `encodeCursor` with `arity` parts; anything else is a 400. */
export function decodeCursor(cursor: string | undefined, arity: number): CursorKey | undefined {
  if (cursor === undefined) return undefined;
  try {
    const key: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(key) && key.length === arity && key.every((p) => typeof p === 'string' || typeof p === 'number')) return key;
  } catch {
    // fall through
  }
  throw new DomainError('validation-failed', 'cursor is not valid', { errors: [{ field: 'cursor', message: 'cursor is not valid' }] });
}

/**
 * Builds a page from `limit + 1` fetched rows: the extra row only tells that another page
 * exists, and the cursor is the key of the last row returned.
 */
export function toPage<R, T>(rows: R[], limit: number, keyOf: (row: R) => CursorKey, map: (row: R) => T): Page<T> {
  const items = rows.slice(0, limit);
  const nextCursor = rows.length > limit && items.length ? encodeCursor(keyOf(items[items.length - 1])) : null;
  return { items: items.map(map), nextCursor };
}

export const DEFAULT_PAGE_LIMIT = 50;

export function pageResponseSchema(itemRef: string): object {
  return {
    type: 'object',
    required: ['items', 'nextCursor'],
    properties: { items: { type: 'array', items: { $ref: itemRef } }, nextCursor: { type: 'string', nullable: true } },
  };
}

export class PageMeta {
  @ApiProperty({ type: String, nullable: true, description: 'Pass as `cursor` to get the next page; null on the last page.' })
  nextCursor: string | null;
}
