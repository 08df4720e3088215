import { ApiProperty } from '@nestjs/swagger';

/** What the recipient sees after confirming: the payout, never who they are. */
export class PayoutAcknowledgementResponse {
  /** Always `acknowledged`. */
  status: 'acknowledged';
  acknowledgedAt: string;
  @ApiProperty({ type: 'integer', format: 'int64', example: 17500 })
  amount: number;
  /** @example "USD" */
  currency: string;
  @ApiProperty({ type: 'string', format: 'date', example: '2026-03-06' })
  payoutDate: string;
}
