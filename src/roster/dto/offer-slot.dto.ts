import { IsInt, IsOptional, Max, Min } from 'class-validator';

export class OfferSlotDto {
  /** Days the offer stays open before it lapses back to the waitlist. @example 7 */
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(60)
  untilDays?: number = 7;
}
