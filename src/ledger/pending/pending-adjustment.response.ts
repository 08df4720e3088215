import { ApiProperty } from '@nestjs/swagger';
import { toJsonAmount } from '../ledger-amount.js';
import { ADJUSTMENT_DIRECTIONS, type AdjustmentDirection } from '../dto/create-adjustment.dto.js';
import { PENDING_ADJUSTMENT_STATUSES, type PendingAdjustmentStatus } from './pending-adjustment-status.js';
import type { PendingAdjustment } from './pending-adjustment.entity.js';

export class PendingAdjustmentResponse {
  id: string;
  @ApiProperty({ enum: ADJUSTMENT_DIRECTIONS })
  direction: AdjustmentDirection;
  @ApiProperty({ type: 'integer', format: 'int64', description: 'Minor units of the circle currency.', example: 250000 })
  amount: number;
  /** @example "USD" */
  currency: string;
  memo: string | null;
  @ApiProperty({ enum: PENDING_ADJUSTMENT_STATUSES })
  status: PendingAdjustmentStatus;
  /** The treasurer or organizer who asked for it. */
  requestedBy: string;
  /** Who approved or rejected it; null while pending. */
  decidedBy: string | null;
  decidedAt: string | null;
  /** The posted transfer (its id is this adjustment's id) once approved. */
  transferId: string | null;
  createdAt: string;
}

export class PendingAdjustmentPageResponse {
  items: PendingAdjustmentResponse[];
  nextCursor: string | null;
}

export function toPendingAdjustmentResponse(p: PendingAdjustment, currency: string): PendingAdjustmentResponse {
  return {
    id: p.id,
    direction: p.direction,
    amount: toJsonAmount(p.amount),
    currency,
    memo: p.memo,
    status: p.status,
    requestedBy: p.requestedBy,
    decidedBy: p.decidedBy,
    decidedAt: p.decidedAt ? p.decidedAt.toISOString() : null,
    transferId: p.transferId,
    createdAt: p.createdAt.toISOString(),
  };
}
