import { ApiProperty } from '@nestjs/swagger';
import { IsIn, IsOptional, Matches } from 'class-validator';
import { PAYOUT_METHODS, type PayoutMethod } from '../payout-status.js';

export class SendPayoutDto {
  /** How the money was sent. @example "cashapp" */
  @ApiProperty({ enum: PAYOUT_METHODS, example: 'cashapp' })
  @IsIn(PAYOUT_METHODS)
  method: PayoutMethod;

  /** Last four letters or digits of the transfer reference, to match a statement. @example "7Q2K" */
  @IsOptional()
  @Matches(/^[A-Za-z0-9]{4}$/, { message: 'referenceLast4 must be exactly 4 letters or digits' })
  referenceLast4?: string;

  /** Lower-case hex SHA-256 of the transfer screenshot; arvut never stores the screenshot itself. */
  @IsOptional()
  @Matches(/^[0-9a-f]{64}$/, { message: 'proofSha256 must be 64 lower-case hex characters' })
  proofSha256?: string;
}
