import { applyDecorators } from '@nestjs/common';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, Matches, MaxLength } from 'class-validator';

export const MEMO_MAX_LENGTH = 140;

/**
 * An optional short note on a transfer, shown to treasurers and organizers only. It must
 * not hold names or other personal data (invariant 9); the API cannot tell, so the
 * contract says so.
 */
export function Memo(): PropertyDecorator {
  return applyDecorators(
    ApiPropertyOptional({
      type: String,
      minLength: 1,
      maxLength: MEMO_MAX_LENGTH,
      example: 'Cash box count, week 3',
      description: `Short note for treasurers and organizers (at most ${MEMO_MAX_LENGTH} characters). No names or other personal data.`,
    }),
    IsOptional(),
    IsString(),
    MaxLength(MEMO_MAX_LENGTH),
    Matches(/^[^\p{Cc}]+$/u, { message: '$property must be 1 to 140 characters without control characters' }),
  );
}
