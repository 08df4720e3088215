import { ApiProperty } from '@nestjs/swagger';
import { IsInt, Max, Min, registerDecorator } from 'class-validator';
import { MinorUnits } from '../../common/validation/decorators.js';
import { isIsoDate } from '../schedule.js';

function IsCalendarDate(): PropertyDecorator {
  return (target: object, propertyName: string | symbol) =>
    registerDecorator({
      name: 'isCalendarDate',
      target: target.constructor,
      propertyName: propertyName as string,
      options: { message: '$property must be a calendar date written YYYY-MM-DD' },
      validator: { validate: (value: unknown) => isIsoDate(value) },
    });
}

export class CreateCycleDto {
  /** First day of the cycle (a date in the circle's time zone); week 1 is paid on the first payout weekday on or after it. */
  @ApiProperty({ type: 'string', format: 'date', example: '2026-03-02' })
  @IsCalendarDate()
  startsOn: string;

  /** Number of weekly payouts, 1–104. @example 15 */
  @ApiProperty({ type: 'integer', minimum: 1, maximum: 104 })
  @IsInt()
  @Min(1)
  @Max(104)
  weeks: number;

  @MinorUnits({ description: 'Paid to each recipient each week, in minor units of the circle currency (17500 = 175.00 USD).' })
  amount: number;

  /** How many recipients the cycle pays each week, 1–1000. @example 11 */
  @ApiProperty({ type: 'integer', minimum: 1, maximum: 1000 })
  @IsInt()
  @Min(1)
  @Max(1000)
  slots: number;

  /** ISO 8601 weekday of the payout day in the circle's time zone: 1 = Monday … 7 = Sunday. @example 5 */
  @ApiProperty({ type: 'integer', minimum: 1, maximum: 7 })
  @IsInt()
  @Min(1)
  @Max(7)
  payoutWeekday: number;
}
