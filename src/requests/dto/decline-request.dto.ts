import { ApiProperty } from '@nestjs/swagger';
import { IsIn } from 'class-validator';
import { DECLINE_REASONS, type DeclineReason } from '../request-status.js';

export class DeclineRequestDto {
  /** Why, from a fixed list (never free text: it is counted in reports). */
  @ApiProperty({ enum: DECLINE_REASONS, example: 'out_of_scope' })
  @IsIn(DECLINE_REASONS)
  reason: DeclineReason;
}
