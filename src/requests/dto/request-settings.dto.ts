import { ApiProperty } from '@nestjs/swagger';
import { IsBoolean, IsInt, IsPositive, Max, ValidateIf } from 'class-validator';

/** A circle's rules for requests and grants; every field is set at once (PUT). */
export class RequestSettingsDto {
  /** Most that the grants approved in one calendar month (circle time zone) may add up to, in minor units; null for no cap. */
  @ApiProperty({ type: 'integer', format: 'int64', nullable: true, minimum: 1, maximum: Number.MAX_SAFE_INTEGER, example: 100000 })
  @ValidateIf((_o, v) => v !== null)
  @IsInt({ message: '$property must be an integer number of minor units or null' })
  @IsPositive()
  @Max(Number.MAX_SAFE_INTEGER)
  grantBudgetMonthly: number | null;

  /** A grant of this amount or more is approved by two different people, and sent by two; null for never. */
  @ApiProperty({ type: 'integer', format: 'int64', nullable: true, minimum: 1, maximum: Number.MAX_SAFE_INTEGER, example: 25000 })
  @ValidateIf((_o, v) => v !== null)
  @IsInt({ message: '$property must be an integer number of minor units or null' })
  @IsPositive()
  @Max(Number.MAX_SAFE_INTEGER)
  twoPersonThreshold: number | null;

  /** Whether requesters may attach files (a bill, a letter) to their requests. */
  @ApiProperty({ example: false })
  @IsBoolean()
  attachmentsEnabled: boolean;
}

export class RequestSettingsResponse extends RequestSettingsDto {}
