import { ApiProperty } from '@nestjs/swagger';

/** The payout a recipient answers about through their link: its money and date, never who they are. */
class LinkedPayoutFigures {
  @ApiProperty({ type: 'integer', format: 'int64', example: 17500 })
  amount: number;
  /** @example "USD" */
  currency: string;
  @ApiProperty({ type: 'string', format: 'date', example: '2026-03-06' })
  payoutDate: string;
}

/** What the recipient sees after confirming. */
export class PayoutAcknowledgementResponse extends LinkedPayoutFigures {
  /** Always `acknowledged`. */
  status: 'acknowledged';
  acknowledgedAt: string;
}

/** What the recipient sees after saying the money did not arrive: the payout stays sent. */
export class PayoutNotArrivedResponse extends LinkedPayoutFigures {
  /** Still `sent`: the link keeps working, for when the money does arrive. */
  status: 'sent';
  /** When the report was recorded (a repeat within an hour keeps the first). */
  reportedAt: string;
}
