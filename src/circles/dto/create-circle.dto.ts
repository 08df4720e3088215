import { Transform } from 'class-transformer';
import { IsString, IsTimeZone, Length } from 'class-validator';
import { IsCircleCurrency } from './circle-validators.js';

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);

export class CreateCircleDto {
  /** Display name, shown to members. @example "Eastside Mutual Aid" */
  @Transform(trim)
  @IsString()
  @Length(1, 100)
  name: string;

  /** ISO 4217 code; fixed for the circle's life. @example "USD" */
  @IsCircleCurrency()
  currency: string;

  /** IANA time zone used for payout days and weeks. @example "America/New_York" */
  @IsString()
  @IsTimeZone()
  timezone: string;
}
