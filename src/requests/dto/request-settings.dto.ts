import { ApiProperty } from '@nestjs/swagger';
import { IsBoolean, IsInt, IsOptional, IsPositive, Max, Min, ValidateIf } from 'class-validator';
import { UNDECIDED_RETENTION_DAYS } from '../request-status.js';

/** A circle's rules for requests and grants; every field is set at once (PUT), except the retention, which is kept when left out. */
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

  /**
   * Days an undecided (submitted or in-review) request may go without activity before it
   * expires and its contact, payout handle, note and files are deleted. Left out: unchanged.
   */
  @ApiProperty({ type: 'integer', required: false, minimum: UNDECIDED_RETENTION_DAYS.min, maximum: UNDECIDED_RETENTION_DAYS.max, example: UNDECIDED_RETENTION_DAYS.default })
  @IsOptional()
  @IsInt()
  @Min(UNDECIDED_RETENTION_DAYS.min)
  @Max(UNDECIDED_RETENTION_DAYS.max)
  undecidedRetentionDays?: number;
}

export class RequestSettingsResponse extends RequestSettingsDto {
  @ApiProperty({ type: 'integer', required: true, minimum: UNDECIDED_RETENTION_DAYS.min, maximum: UNDECIDED_RETENTION_DAYS.max, example: UNDECIDED_RETENTION_DAYS.default })
  declare undecidedRetentionDays: number;
}
