import { Body, Controller, HttpCode, HttpStatus, Post, UseGuards } from '@nestjs/common';
import { ApiConflictResponse, ApiNoContentResponse, ApiOperation, ApiTags, ApiTooManyRequestsResponse, ApiUnauthorizedResponse } from '@nestjs/swagger';
import { SkipRateLimit } from '../common/rate-limit/skip-rate-limit.decorator.js';
import { AuthRateLimitGuard } from './auth-rate-limit.guard.js';
import { AuthService } from './auth.service.js';
import type { AuthUser } from './auth-user.js';
import { CurrentUser } from './current-user.decorator.js';
import { LoginDto } from './dto/login.dto.js';
import { RefreshTokensDto } from './dto/refresh-tokens.dto.js';
import { RegisterDto } from './dto/register.dto.js';
import { toTokenPairResponse, TokenPairResponse } from './dto/token-pair.response.js';
import { toUserResponse, UserResponse } from './dto/user.response.js';
import { Public } from './public.decorator.js';

@ApiTags('auth')
@Controller('v1/auth')
export class AuthController {
  constructor(private readonly auth: AuthService) {}

  @Public()
  @Post('register')
  @UseGuards(AuthRateLimitGuard)
  @SkipRateLimit('email')
  @ApiOperation({ summary: 'Create an account (email is case-insensitive; password ≥ 10 characters, not a common one)' })
  @ApiConflictResponse({ description: 'email-taken: an account with this email already exists' })
  @ApiTooManyRequestsResponse({ description: 'rate-limited: too many sign-ups from this address; see Retry-After' })
  async register(@Body() dto: RegisterDto): Promise<UserResponse> {
    return toUserResponse(await this.auth.register(dto.email, dto.password));
  }

  @Public()
  @Post('login')
  @HttpCode(HttpStatus.OK)
  @UseGuards(AuthRateLimitGuard)
  @ApiOperation({ summary: 'Exchange email and password for an access token and a refresh token' })
  @ApiUnauthorizedResponse({ description: 'invalid-credentials: the same answer for an unknown email and a wrong password' })
  @ApiTooManyRequestsResponse({ description: 'rate-limited: too many attempts for this address or account; see Retry-After' })
  async login(@Body() dto: LoginDto): Promise<TokenPairResponse> {
    return toTokenPairResponse(await this.auth.login(dto.email, dto.password));
  }

  @Public()
  @Post('refresh')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Rotate a refresh token: returns a new pair; reusing an old refresh token revokes the session' })
  @ApiUnauthorizedResponse({ description: 'unauthenticated: the refresh token is invalid, expired, already used or revoked' })
  async refreshTokens(@Body() dto: RefreshTokensDto): Promise<TokenPairResponse> {
    return toTokenPairResponse(await this.auth.refresh(dto.refreshToken));
  }

  @Post('logout')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({ summary: 'End this session: its refresh token and access tokens stop working immediately' })
  @ApiNoContentResponse({ description: 'Logged out' })
  async logout(@CurrentUser() user: AuthUser): Promise<void> {
    await this.auth.logout(user);
  }
}
