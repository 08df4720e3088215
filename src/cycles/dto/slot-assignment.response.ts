import { ApiProperty } from '@nestjs/swagger';
import type { SlotAssignment } from '../slot-assignment.entity.js';

export class SlotAssignmentResponse {
  /** 1 … the cycle's slots. */
  @ApiProperty({ type: 'integer' })
  slotNo: number;
  /** The roster's internal id of the recipient holding the slot. */
  recipientId: string;
  /** First week paid to this recipient from this slot. */
  @ApiProperty({ type: 'integer' })
  fromWeek: number;
  /** Last week paid from this slot; null while it keeps paying. Less than fromWeek when they stopped before being paid. */
  @ApiProperty({ type: 'integer', nullable: true })
  toWeek: number | null;
  /** `holding` (being paid), `paused` (slot kept, nothing paid until they resume) or `ended`. */
  state: 'holding' | 'paused' | 'ended';
  createdAt: string;
  endedAt: string | null;
}

export class SlotAssignmentPageResponse {
  items: SlotAssignmentResponse[];
  nextCursor: string | null;
}

export function toSlotAssignmentResponse(a: SlotAssignment): SlotAssignmentResponse {
  return {
    slotNo: a.slotNo,
    recipientId: a.recipientId,
    fromWeek: a.fromWeek,
    toWeek: a.toWeek,
    state: !a.held ? 'ended' : a.toWeek === null ? 'holding' : 'paused',
    createdAt: a.createdAt.toISOString(),
    endedAt: a.endedAt?.toISOString() ?? null,
  };
}
