import { ApiProperty } from '@nestjs/swagger';
import { toJsonAmount } from '../../ledger/ledger-amount.js';
import { CONTRIBUTION_STATUSES, MANUAL_CONTRIBUTION_METHODS, type ContributionMethod, type ContributionStatus } from '../contribution-method.js';
import type { Contribution } from '../contribution.entity.js';

/** Refunds and disputes booked against a card contribution, summed. */
export interface ReversalTotals {
  refunded: bigint;
  disputed: bigint;
  shortfall: bigint;
}

export const NO_REVERSALS: ReversalTotals = { refunded: 0n, disputed: 0n, shortfall: 0n };

const amount = (description: string, example = 2000) => ApiProperty({ type: 'integer', format: 'int64', description, example });

export class ContributionResponse {
  id: string;
  circleId: string;
  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: 'Null for a one-off gift.' })
  pledgeId: string | null;
  @ApiProperty({ type: String, format: 'uuid', nullable: true })
  donorUserId: string | null;
  @ApiProperty({ enum: ['card', ...MANUAL_CONTRIBUTION_METHODS] })
  method: ContributionMethod;
  @amount('Gross amount received, in minor units.')
  amount: number;
  @amount('Provider fee (card only), in minor units.', 0)
  fee: number;
  @amount('What reached the pool: amount − fee.')
  net: number;
  /** @example "USD" */
  currency: string;
  @ApiProperty({ type: 'string', format: 'date' })
  receivedOn: string;
  @ApiProperty({ enum: CONTRIBUTION_STATUSES, description: '`pending`: waits for a second treasurer or organizer to approve; nothing is in the pool yet.' })
  status: ContributionStatus;
  @amount('Refunded to the donor so far (card).', 0)
  refunded: number;
  @amount('Taken back by a card dispute still open or lost.', 0)
  disputed: number;
  @amount('Refunds or disputes the pool could not cover, booked to adjustments for the treasurer to settle.', 0)
  shortfall: number;
  @ApiProperty({ type: String, format: 'uuid', nullable: true })
  recordedBy: string | null;
  @ApiProperty({ type: String, format: 'uuid', nullable: true })
  approvedBy: string | null;
  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: 'The ledger transfer that posted it; null while pending.' })
  transferId: string | null;
  createdAt: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  postedAt: string | null;
}

export class ContributionPageResponse {
  items: ContributionResponse[];
  @ApiProperty({ type: String, nullable: true })
  nextCursor: string | null;
}

export function toContributionResponse(c: Contribution, reversals: ReversalTotals = NO_REVERSALS): ContributionResponse {
  return {
    id: c.id,
    circleId: c.circleId,
    pledgeId: c.pledgeId,
    donorUserId: c.donorUserId,
    method: c.method,
    amount: toJsonAmount(c.amount),
    fee: toJsonAmount(c.fee),
    net: toJsonAmount(BigInt(c.amount) - BigInt(c.fee)),
    currency: c.currency,
    receivedOn: c.receivedOn,
    status: c.status,
    refunded: toJsonAmount(reversals.refunded),
    disputed: toJsonAmount(reversals.disputed),
    shortfall: toJsonAmount(reversals.shortfall),
    recordedBy: c.recordedBy,
    approvedBy: c.approvedBy,
    transferId: c.transferId,
    createdAt: c.createdAt.toISOString(),
    postedAt: c.postedAt ? c.postedAt.toISOString() : null,
  };
}
