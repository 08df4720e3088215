import { ApiProperty } from '@nestjs/swagger';
import { GRANT_CATEGORIES, REQUEST_KINDS, type GrantCategory, type RequestKind } from '../request-status.js';

/** A secret link, shown once: only its SHA-256 is stored, so it cannot be shown again. */
export class StatusLinkResponse {
  /** 43 characters, base64url. */
  token: string;
  /** The API path the person uses: GET to see their status, POST …/withdraw, …/acknowledge, …/exit, PATCH …/private. */
  path: string;
}

export class IntakeLinkResponse {
  id: string;
  @ApiProperty({ type: 'integer', nullable: true })
  maxOpenRequests: number | null;
  /** Requests made through this link that are still submitted or in review. */
  @ApiProperty({ type: 'integer' })
  openRequests: number;
  createdAt: string;
  rotatedAt: string | null;
  /** A closed link answers 404, like one that never existed. */
  closedAt: string | null;
}

export class IntakeLinkCreatedResponse extends IntakeLinkResponse {
  /** The secret, shown only in this response (and again only by rotating, which replaces it). */
  token: string;
  /** Where a neighbour asks: GET for the form's facts, POST …/requests to ask. */
  path: string;
}

/** What the intake form needs to know about the circle; nothing about its members or recipients. */
export class IntakeFormResponse {
  /** @example "USD" */
  currency: string;
  @ApiProperty({ type: 'integer', example: 2 })
  currencyExponent: number;
  @ApiProperty({ enum: REQUEST_KINDS, isArray: true })
  kinds: RequestKind[];
  @ApiProperty({ enum: GRANT_CATEGORIES, isArray: true })
  categories: GrantCategory[];
  attachmentsEnabled: boolean;
}

/** The answer to a neighbour's request through an intake link: their private status link, shown once. */
export class IntakeSubmittedResponse {
  /** `submitted`. */
  status: string;
  /** Keep it: the only way back to this request. 43 characters, base64url. */
  statusToken: string;
  statusPath: string;
}
