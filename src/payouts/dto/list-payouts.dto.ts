import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsUUID, Max, Min } from 'class-validator';
import { PageQueryDto } from '../../common/pagination.js';
import { PAYOUT_STATUSES, type PayoutStatus } from '../payout-status.js';

export class ListPayoutsDto extends PageQueryDto {
  @IsOptional()
  @IsUUID()
  cycleId?: string;

  /** Week number within the cycle, 1–104. */
  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 104 })
  @IsOptional()
  @Transform(({ value }) => (typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value))
  @IsInt()
  @Min(1)
  @Max(104)
  week?: number;

  @ApiPropertyOptional({ enum: PAYOUT_STATUSES })
  @IsOptional()
  @IsIn(PAYOUT_STATUSES)
  status?: PayoutStatus;
}
