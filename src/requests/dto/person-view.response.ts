import { ApiProperty } from '@nestjs/swagger';
import { EXIT_REASONS, RECIPIENT_STATUSES, type ExitReason, type RecipientStatus } from '../../roster/recipient-status.js';
import { DECLINE_REASONS, GRANT_CATEGORIES, REQUEST_KINDS, REQUEST_STATUSES, type DeclineReason, type GrantCategory, type RequestKind, type RequestStatus } from '../request-status.js';

export class OwnRequestView {
  @ApiProperty({ enum: REQUEST_KINDS })
  kind: RequestKind;
  @ApiProperty({ enum: REQUEST_STATUSES })
  status: RequestStatus;
  @ApiProperty({ enum: GRANT_CATEGORIES, nullable: true })
  category: GrantCategory | null;
  @ApiProperty({ type: 'integer', format: 'int64', nullable: true })
  amountAsked: number | null;
  @ApiProperty({ type: 'integer', format: 'int64', nullable: true })
  amountGranted: number | null;
  currency: string;
  @ApiProperty({ enum: DECLINE_REASONS, nullable: true })
  declineReason: DeclineReason | null;
  createdAt: string;
  decidedAt: string | null;
  sentAt: string | null;
  acknowledgedAt: string | null;
}

export class OwnPayoutView {
  id: string;
  status: string;
  @ApiProperty({ type: 'integer', format: 'int64' })
  amount: number;
  currency: string;
  payoutDate: string;
}

export class OwnRosterView {
  @ApiProperty({ enum: RECIPIENT_STATUSES })
  status: RecipientStatus;
  @ApiProperty({ enum: EXIT_REASONS, nullable: true })
  exitReason: ExitReason | null;
  @ApiProperty({ type: [OwnPayoutView] })
  payouts: OwnPayoutView[];
}

/**
 * What a person sees through their own status link: states, amounts and dates. Never the
 * vault fields (they can replace them, not read them back), never who decided.
 */
export class PersonViewResponse {
  @ApiProperty({ type: OwnRequestView, nullable: true })
  request: OwnRequestView | null;
  /** Present once the person is on the roster (an approved roster request, or a recipient's own link). */
  @ApiProperty({ type: OwnRosterView, nullable: true })
  roster: OwnRosterView | null;
}
