import { IsInt, Max, Min } from 'class-validator';

export class WaitlistPositionDto {
  /** New 1-based place on the waitlist; 1 is offered the next freed slot. @example 1 */
  @IsInt()
  @Min(1)
  @Max(100000)
  position: number;
}
