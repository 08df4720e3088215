import { ApiProperty } from '@nestjs/swagger';
import { PayoutResponse } from './payout.response.js';

export class GeneratedWeekResponse {
  cycleId: string;
  @ApiProperty({ type: 'integer' })
  week: number;
  @ApiProperty({ type: 'string', format: 'date', example: '2026-03-06' })
  payoutDate: string;
  /** Payouts this call created: 0 when the week had been generated already. */
  @ApiProperty({ type: 'integer' })
  created: number;
  /** Every payout of the week, including those generated before. */
  payouts: PayoutResponse[];
}
