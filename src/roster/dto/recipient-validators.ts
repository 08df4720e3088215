import { applyDecorators } from '@nestjs/common';
import { Transform } from 'class-transformer';
import { IsOptional, IsString, Length, Matches } from 'class-validator';

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);
const NO_CONTROL_CHARACTERS = /^[^\p{Cc}]*$/u;

/** An alias: 1–40 characters after trimming. Messages never echo the value (invariant 9). */
export function RecipientAlias(): PropertyDecorator {
  return applyDecorators(Transform(trim), IsString(), Length(1, 40), Matches(NO_CONTROL_CHARACTERS, { message: '$property must not contain control characters' }));
}

/** An optional vault field: trimmed text up to `max` characters; null clears it. */
export function VaultText(max: number): PropertyDecorator {
  return applyDecorators(IsOptional(), Transform(trim), IsString(), Length(1, max));
}
