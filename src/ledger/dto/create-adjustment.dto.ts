import { ApiProperty } from '@nestjs/swagger';
import { IsIn } from 'class-validator';
import { MinorUnits } from '../../common/validation/decorators.js';
import { Memo } from './memo.decorator.js';

export const ADJUSTMENT_DIRECTIONS = ['in', 'out'] as const;
export type AdjustmentDirection = (typeof ADJUSTMENT_DIRECTIONS)[number];

export class CreateAdjustmentDto {
  @ApiProperty({
    enum: ADJUSTMENT_DIRECTIONS,
    description: '`in`: cash the circle already holds is recorded into the pool (adjustments → pool). `out`: a correction takes money out of the pool (pool → adjustments); refused with 409 insufficient-funds if the pool cannot cover it.',
  })
  @IsIn(ADJUSTMENT_DIRECTIONS)
  direction: AdjustmentDirection;

  @MinorUnits({ description: 'Amount in minor units of the circle currency (50000 = 500.00 USD).' })
  amount: number;

  @Memo()
  memo?: string;
}
