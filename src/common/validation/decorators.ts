import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsInt, IsOptional, IsPositive, IsString, Matches, Max, Min } from 'class-validator';

/** A positive amount in the currency's minor units: a JSON integer, never a float (DESIGN: money). */
export function MinorUnits(options: { description?: string; optional?: boolean } = {}): PropertyDecorator {
  const api = { type: 'integer', format: 'int64', minimum: 1, maximum: Number.MAX_SAFE_INTEGER, example: 17500, description: options.description ?? 'Amount in minor units of the circle currency (17500 = 175.00 USD).' } as const;
  return applyDecorators(
    ...(options.optional ? [IsOptional(), ApiPropertyOptional(api)] : [ApiProperty(api)]),
    IsInt({ message: '$property must be an integer number of minor units' }),
    IsPositive(),
    Max(Number.MAX_SAFE_INTEGER),
  );
}

/** Page size for cursor lists: 1..100, default 50. Query strings arrive as text, so convert here. */
export function PageLimit(): PropertyDecorator {
  return applyDecorators(
    ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 100, default: 50 }),
    IsOptional(),
    Transform(({ value }) => (typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value)),
    IsInt(),
    Min(1),
    Max(100),
  );
}

export function Cursor(): PropertyDecorator {
  return applyDecorators(
    ApiPropertyOptional({ description: 'Opaque cursor from the previous page\'s `nextCursor`.' }),
    IsOptional(),
    IsString(),
    Matches(/^[A-Za-z0-9_-]{1,512}$/, { message: 'cursor is not valid' }),
  );
}
