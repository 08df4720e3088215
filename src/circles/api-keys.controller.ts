import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { AuthUser } from '../auth/auth-user.js';
import { CurrentUser } from '../auth/current-user.decorator.js';
import { IdPipe } from '../common/http/id.pipe.js';
import { DEFAULT_PAGE_LIMIT, PageQueryDto } from '../common/pagination.js';
import { ApiKeysService } from './api-keys.service.js';
import { ApiKeyPageResponse, CreatedApiKeyResponse } from './dto/api-key.response.js';
import { CreateApiKeyDto } from './dto/create-api-key.dto.js';
import { MinRole } from './min-role.decorator.js';

@ApiTags('api-keys')
@Controller('v1/circles/:circleId/api-keys')
export class ApiKeysController {
  constructor(private readonly keys: ApiKeysService) {}

  @MinRole('organizer')
  @Post()
  @ApiOperation({ summary: 'Create an API key acting with a role (member … treasurer) in this circle; the key is shown once (organizer)' })
  @ApiResponse({ status: 201, type: CreatedApiKeyResponse })
  createApiKey(@CurrentUser() user: AuthUser, @Param('circleId', IdPipe) circleId: string, @Body() dto: CreateApiKeyDto): Promise<CreatedApiKeyResponse> {
    return this.keys.create(user.id, circleId, dto);
  }

  @MinRole('organizer')
  @Get()
  @ApiOperation({ summary: "The circle's API keys with their last use, revoked ones included (organizer)" })
  @ApiResponse({ status: 200, type: ApiKeyPageResponse })
  listApiKeys(@CurrentUser() user: AuthUser, @Param('circleId', IdPipe) circleId: string, @Query() query: PageQueryDto): Promise<ApiKeyPageResponse> {
    return this.keys.list(user.id, circleId, query.limit ?? DEFAULT_PAGE_LIMIT, query.cursor);
  }

  @MinRole('organizer')
  @Delete(':keyId')
  @HttpCode(204)
  @ApiOperation({ summary: 'Revoke an API key; it stops working at once (organizer)' })
  @ApiResponse({ status: 204, description: 'Revoked' })
  revokeApiKey(@CurrentUser() user: AuthUser, @Param('circleId', IdPipe) circleId: string, @Param('keyId', IdPipe) keyId: string): Promise<void> {
    return this.keys.revoke(user.id, circleId, keyId);
  }
}
