import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ALERT_SEVERITIES, type AlertSeverity } from '../alert-severity.js';
import type { CircleAlert } from '../circle-alert.entity.js';
import { OFFICIAL_HANDLE_METHODS, type OfficialHandleMethod } from '../official-handle-method.js';
import type { OfficialHandle } from '../official-handle.entity.js';

/** What an organizer sees of a subject's matches: never which circle, which subject or which field. */
export class DuplicateCheckResponse {
  /** True when any match is counted below. */
  possibleDuplicate: boolean;
  /** Another request or recipient of this circle has the same payout handle, phone or email. */
  inThisCircle: boolean;
  /** How many other circles of the circle's network know the same handle, phone or email. */
  @ApiProperty({ minimum: 0 })
  otherCircles: number;
  /** The same, as a sentence for the organizer's screen. */
  @ApiProperty({ example: 'Possible duplicate: also known in this circle and in 1 other circle of the network.' })
  summary: string;
}

export class NetworkResponse {
  /** False when the circle has not joined a network; the other fields are then absent. */
  inNetwork: boolean;
  @ApiPropertyOptional({ format: 'uuid' })
  networkId?: string;
  /** How many circles, this one included, are in the network. */
  @ApiPropertyOptional({ minimum: 1 })
  memberCircles?: number;
  @ApiPropertyOptional({ format: 'date-time' })
  joinedAt?: string;
}

export class JoinCodeResponse {
  /** Single use; shown only here. Give it to the other circle's organizer. */
  code: string;
  @ApiProperty({ format: 'date-time' })
  expiresAt: string;
}

export class OfficialHandleResponse {
  @ApiProperty({ format: 'uuid' })
  id: string;
  @ApiProperty({ enum: OFFICIAL_HANDLE_METHODS })
  method: OfficialHandleMethod;
  handle: string;
  @ApiProperty({ format: 'date-time' })
  addedAt: string;
}

export class HandleCheckResponse {
  /** True only when the handle is one of the circle's official handles (any method). */
  official: boolean;
}

export class AlertResponse {
  @ApiProperty({ format: 'uuid' })
  id: string;
  @ApiProperty({ enum: ALERT_SEVERITIES })
  severity: AlertSeverity;
  text: string;
  @ApiProperty({ format: 'date-time' })
  postedAt: string;
  @ApiProperty({ format: 'date-time' })
  expiresAt: string;
  /** True once expiresAt has passed (listed only with includeExpired=true). */
  expired: boolean;
}

export const toOfficialHandleResponse = (h: OfficialHandle): OfficialHandleResponse => ({ id: h.id, method: h.method, handle: h.handle, addedAt: h.addedAt.toISOString() });

export const toAlertResponse = (a: CircleAlert, now: Date): AlertResponse => ({
  id: a.id,
  severity: a.severity,
  text: a.text,
  postedAt: a.postedAt.toISOString(),
  expiresAt: a.expiresAt.toISOString(),
  expired: a.expiresAt <= now,
});
