import { IsUUID } from 'class-validator';

export class RedeliverDto {
  /** The id of one of the circle's events (from the feed or a delivery). */
  @IsUUID()
  eventId: string;
}
