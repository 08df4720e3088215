import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { toJsonAmount } from '../../ledger/ledger-amount.js';
import { PLEDGE_METHODS, PLEDGE_STATUSES, type PledgeMethod, type PledgeStatus } from '../pledge-status.js';
import type { Pledge } from '../pledge.entity.js';

export class PledgeResponse {
  id: string;
  circleId: string;
  /** The donor's user id. */
  donorUserId: string;
  /** The donor's email: shown to treasurers and organizers only. */
  @ApiPropertyOptional({ format: 'email' })
  donorEmail?: string;
  @ApiProperty({ type: 'integer', format: 'int64', description: 'Weekly amount in minor units.', example: 2000 })
  amount: number;
  /** @example "USD" */
  currency: string;
  @ApiProperty({ enum: PLEDGE_METHODS })
  method: PledgeMethod;
  @ApiProperty({ enum: PLEDGE_STATUSES })
  status: PledgeStatus;
  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: 'The cycle the pledge ends with; null when ongoing.' })
  cycleId: string | null;
  createdAt: string;
  statusChangedAt: string;
}

export class CreatedPledgeResponse extends PledgeResponse {
  @ApiProperty({ type: String, format: 'uri', nullable: true, description: 'Card pledges: send the donor here to enter card details (at Stripe, never arvut). Null for manual pledges.' })
  checkoutUrl: string | null;
}

export class PledgePageResponse {
  items: PledgeResponse[];
  @ApiProperty({ type: String, nullable: true })
  nextCursor: string | null;
}

export function toPledgeResponse(pledge: Pledge, donorEmail?: string): PledgeResponse {
  return {
    id: pledge.id,
    circleId: pledge.circleId,
    donorUserId: pledge.donorUserId,
    ...(donorEmail !== undefined ? { donorEmail } : {}),
    amount: toJsonAmount(pledge.amount),
    currency: pledge.currency,
    method: pledge.method,
    status: pledge.status,
    cycleId: pledge.cycleId,
    createdAt: pledge.createdAt.toISOString(),
    statusChangedAt: pledge.statusChangedAt.toISOString(),
  };
}
