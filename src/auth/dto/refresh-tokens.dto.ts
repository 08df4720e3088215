import { IsString, Matches } from 'class-validator';

export class RefreshTokensDto {
  /** The refresh token from the last login or refresh. Each one can be used once. */
  @IsString()
  @Matches(/^[A-Za-z0-9_-]{20,200}$/, { message: 'refreshToken is not a valid token' })
  refreshToken: string;
}
