import { Body, Controller, Delete, HttpCode, UseGuards } from '@nestjs/common';
import { ApiNoContentResponse, ApiOperation, ApiTags, ApiTooManyRequestsResponse, ApiUnauthorizedResponse } from '@nestjs/swagger';
import { AuthRateLimitGuard } from '../auth/auth-rate-limit.guard.js';
import type { AuthUser } from '../auth/auth-user.js';
import { CurrentUser } from '../auth/current-user.decorator.js';
import { AccountDeletionService } from './account-deletion.service.js';
import { DeleteAccountDto } from './dto/delete-account.dto.js';

@ApiTags('auth')
@Controller('v1/me')
export class AccountController {
  constructor(private readonly deletion: AccountDeletionService) {}

  @Delete()
  @HttpCode(204)
  @ApiOperation({
    summary: 'Delete your account',
    description:
      'Needs the current password. Removes you from every circle and ends every login at once; your email and password are gone and the email can sign up again. ' +
      'What you did (payouts approved, contributions recorded, pledges) stays, attributed to an id that names no one. ' +
      '409 `last-organizer` while you are the only organizer of a circle; 409 `invalid-state` while a pledge of yours still expects money (cancel it first).',
  })
  @ApiNoContentResponse({ description: 'The account is deleted.' })
  // The password check must not become a guessing oracle for someone holding a stolen token.
  @UseGuards(AuthRateLimitGuard)
  @ApiUnauthorizedResponse({ description: 'invalid-credentials: the password is wrong (or unauthenticated: no valid access token)' })
  @ApiTooManyRequestsResponse({ description: 'rate-limited: too many attempts from this address; see Retry-After' })
  async deleteAccount(@CurrentUser() user: AuthUser, @Body() dto: DeleteAccountDto): Promise<void> {
    await this.deletion.delete(user.id, dto.password);
  }
}
