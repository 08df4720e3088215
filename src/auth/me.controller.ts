import { Controller, Get } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { DomainError } from '../common/errors/domain-error.js';
import type { AuthUser } from './auth-user.js';
import { CurrentUser } from './current-user.decorator.js';
import { toUserResponse, UserResponse } from './dto/user.response.js';
import { UsersService } from './users.service.js';

@ApiTags('auth')
@Controller('v1/me')
export class MeController {
  constructor(private readonly users: UsersService) {}

  @Get()
  @ApiOperation({ summary: 'The account the access token belongs to' })
  async getMe(@CurrentUser() user: AuthUser): Promise<UserResponse> {
    const profile = await this.users.findById(user.id);
    if (!profile) throw new DomainError('unauthenticated', 'The account no longer exists.');
    return toUserResponse(profile);
  }
}
