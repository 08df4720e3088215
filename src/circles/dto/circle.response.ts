import { ApiProperty } from '@nestjs/swagger';
import type { CircleRole } from '../circle-role.js';
import type { Circle, ReceiptVisibility } from '../circle.entity.js';

export class CircleSettingsResponse {
  retentionDays: number;
  showRecipientAliases: boolean;
  receiptVisibility: ReceiptVisibility;
  requireSecondApproval: boolean;
  @ApiProperty({ type: 'integer', format: 'int64', nullable: true, description: 'The largest single adjustment or contribution in minor units; null: the default (docs/ledger.md, "Amount limits").' })
  maxSingleAmount: number | null;
}

export class CircleResponse {
  id: string;
  name: string;
  /** @example "USD" */
  currency: string;
  /** Minor-unit exponent of the currency: amounts are integers in 10^-exponent units. @example 2 */
  currencyExponent: number;
  timezone: string;
  /** The caller's role in this circle. */
  myRole: CircleRole;
  settings: CircleSettingsResponse;
  /** Increases with every change; the ETag is this number in quotes. */
  version: number;
  createdAt: string;
}

export class CirclePageResponse {
  items: CircleResponse[];
  nextCursor: string | null;
}

export function toCircleResponse(circle: Circle, myRole: CircleRole): CircleResponse {
  return {
    id: circle.id,
    name: circle.name,
    currency: circle.currency,
    currencyExponent: circle.currencyExponent,
    timezone: circle.timezone,
    myRole,
    settings: {
      retentionDays: circle.retentionDays,
      showRecipientAliases: circle.showRecipientAliases,
      receiptVisibility: circle.receiptVisibility,
      requireSecondApproval: circle.requireSecondApproval,
      maxSingleAmount: circle.maxSingleAmount === null ? null : Number(circle.maxSingleAmount),
    },
    version: circle.version,
    createdAt: circle.createdAt.toISOString(),
  };
}
