import { ApiProperty } from '@nestjs/swagger';
import type { IssuedTokens } from '../token.service.js';

export class TokenPairResponse {
  /** Send as `Authorization: Bearer <accessToken>`. */
  accessToken: string;

  /** Exchange at POST /v1/auth/refresh for a new pair; usable once. */
  refreshToken: string;

  /** Seconds until the access token expires. */
  @ApiProperty({ type: 'integer', example: 900 })
  expiresIn: number;
}

export function toTokenPairResponse(tokens: IssuedTokens): TokenPairResponse {
  return { accessToken: tokens.accessToken, refreshToken: tokens.refreshToken, expiresIn: tokens.expiresIn };
}
