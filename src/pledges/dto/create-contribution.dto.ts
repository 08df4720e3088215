import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsUUID, registerDecorator } from 'class-validator';
import { MinorUnits } from '../../common/validation/decorators.js';
import { isIsoDate } from '../local-date.js';
import { MANUAL_CONTRIBUTION_METHODS, type ManualContributionMethod } from '../contribution-method.js';

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

export class CreateContributionDto {
  @ApiPropertyOptional({ format: 'uuid', description: 'The manual pledge this payment is for; omit for a one-off gift.' })
  @IsOptional()
  @IsUUID()
  pledgeId?: string;

  @MinorUnits({ description: 'Amount received, in minor units of the circle currency.' })
  amount: number;

  @ApiProperty({ enum: MANUAL_CONTRIBUTION_METHODS })
  @IsIn(MANUAL_CONTRIBUTION_METHODS)
  method: ManualContributionMethod;

  @ApiProperty({ type: 'string', format: 'date', example: '2026-03-06', description: 'The day the money arrived, in the circle\'s time zone; not in the future.' })
  @IsCalendarDate()
  receivedOn: string;
}
