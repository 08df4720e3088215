import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsOptional } from 'class-validator';
import { MinorUnits } from '../../common/validation/decorators.js';

export class ApproveRequestDto {
  /** The amount granted, in minor units; defaults to the amount asked (or, for a second approval, to the first approver's amount). Grants only. */
  @MinorUnits({ optional: true, description: 'The amount granted in minor units; defaults to the amount asked. Grants only.' })
  amount?: number;

  /** Set to grant more than was asked; without it an amount above the one asked is refused. */
  @ApiPropertyOptional({ default: false })
  @IsOptional()
  @IsBoolean()
  aboveAsked?: boolean;
}
