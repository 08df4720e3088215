import { Controller, Get, Param } from '@nestjs/common';
import { ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { AuthUser } from '../auth/auth-user.js';
import { CurrentUser } from '../auth/current-user.decorator.js';
import { IdPipe } from '../common/http/id.pipe.js';
import { CoverageService } from './coverage.service.js';
import { CycleCoverageResponse } from './dto/coverage.response.js';
import { MinRole } from '../circles/min-role.decorator.js';

@ApiTags('pledges')
@Controller('v1/circles/:circleId/cycles/:cycleId/coverage')
export class CoverageController {
  constructor(private readonly coverage: CoverageService) {}

  @MinRole('member')
  @Get()
  @ApiOperation({ summary: 'Whether pledges and the pool cover a cycle, week by week (any member)' })
  @ApiResponse({ status: 200, type: CycleCoverageResponse })
  getCycleCoverage(@CurrentUser() user: AuthUser, @Param('circleId', IdPipe) circleId: string, @Param('cycleId', IdPipe) cycleId: string): Promise<CycleCoverageResponse> {
    return this.coverage.cycleCoverage(user.id, circleId, cycleId);
  }
}
