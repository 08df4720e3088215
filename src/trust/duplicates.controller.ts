import { Body, Controller, Delete, Get, Header, HttpCode, Param, Post } from '@nestjs/common';
import { ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { AuthUser } from '../auth/auth-user.js';
import { CurrentUser } from '../auth/current-user.decorator.js';
import { MinRole } from '../circles/min-role.decorator.js';
import { IdPipe } from '../common/http/id.pipe.js';
import { CreateJoinCodeDto, JoinNetworkDto } from './dto/trust.dto.js';
import { DuplicateCheckResponse, JoinCodeResponse, NetworkResponse } from './dto/trust.response.js';
import { DuplicatesService } from './duplicates.service.js';
import { NetworksService } from './networks.service.js';

const COUNTS_ONLY = 'Counts only: never which circle, which person or which field matched (docs/trust.md).';

@ApiTags('trust')
@Controller('v1/circles/:circleId')
export class DuplicatesController {
  constructor(
    private readonly duplicates: DuplicatesService,
    private readonly networks: NetworksService,
  ) {}

  @Get('requests/:requestId/duplicates')
  @MinRole('organizer')
  @ApiOperation({ summary: 'Whether the request\'s payout handle, phone or email is also known in this circle or in other circles of its network (organizer)', description: COUNTS_ONLY })
  @ApiResponse({ status: 200, type: DuplicateCheckResponse })
  getRequestDuplicates(@CurrentUser() user: AuthUser, @Param('circleId', IdPipe) circleId: string, @Param('requestId', IdPipe) requestId: string): Promise<DuplicateCheckResponse> {
    return this.duplicates.forRequest(user.id, circleId, requestId);
  }

  @Post('requests/:requestId/duplicates/not-same-person')
  @MinRole('organizer')
  @HttpCode(200)
  @ApiOperation({ summary: 'Mark the request\'s current matches "not the same person": they are not counted again (organizer)' })
  @ApiResponse({ status: 200, type: DuplicateCheckResponse })
  dismissRequestDuplicates(@CurrentUser() user: AuthUser, @Param('circleId', IdPipe) circleId: string, @Param('requestId', IdPipe) requestId: string): Promise<DuplicateCheckResponse> {
    return this.duplicates.dismissForRequest(user.id, circleId, requestId);
  }

  @Get('recipients/:recipientId/duplicates')
  @MinRole('organizer')
  @ApiOperation({ summary: 'Whether the recipient\'s payout handle, phone or email is also known in this circle or in other circles of its network (organizer)', description: COUNTS_ONLY })
  @ApiResponse({ status: 200, type: DuplicateCheckResponse })
  getRecipientDuplicates(@CurrentUser() user: AuthUser, @Param('circleId', IdPipe) circleId: string, @Param('recipientId', IdPipe) recipientId: string): Promise<DuplicateCheckResponse> {
    return this.duplicates.forRecipient(user.id, circleId, recipientId);
  }

  @Post('recipients/:recipientId/duplicates/not-same-person')
  @MinRole('organizer')
  @HttpCode(200)
  @ApiOperation({ summary: 'Mark the recipient\'s current matches "not the same person": they are not counted again (organizer)' })
  @ApiResponse({ status: 200, type: DuplicateCheckResponse })
  dismissRecipientDuplicates(@CurrentUser() user: AuthUser, @Param('circleId', IdPipe) circleId: string, @Param('recipientId', IdPipe) recipientId: string): Promise<DuplicateCheckResponse> {
    return this.duplicates.dismissForRecipient(user.id, circleId, recipientId);
  }

  @Get('network')
  @MinRole('organizer')
  @ApiOperation({ summary: 'The network this circle compares duplicates with, if any (organizer)' })
  @ApiResponse({ status: 200, type: NetworkResponse })
  getNetwork(@CurrentUser() user: AuthUser, @Param('circleId', IdPipe) circleId: string): Promise<NetworkResponse> {
    return this.networks.get(user.id, circleId);
  }

  @Post('network')
  @MinRole('organizer')
  @ApiOperation({ summary: 'Create a network with this circle as its first member (organizer; a circle is in at most one network)' })
  @ApiResponse({ status: 201, type: NetworkResponse })
  @ApiResponse({ status: 409, description: 'The circle is already in a network (conflict)' })
  createNetwork(@CurrentUser() user: AuthUser, @Param('circleId', IdPipe) circleId: string): Promise<NetworkResponse> {
    return this.networks.create(user.id, circleId);
  }

  // Not @Idempotent(): the response carries the secret, which an idempotency record would keep.
  @Post('network/join-codes')
  @MinRole('organizer')
  @Header('Cache-Control', 'no-store')
  @ApiOperation({ summary: 'A single-use code through which another circle joins this circle\'s network; shown only here (organizer)' })
  @ApiResponse({ status: 201, type: JoinCodeResponse })
  createNetworkJoinCode(@CurrentUser() user: AuthUser, @Param('circleId', IdPipe) circleId: string, @Body() dto: CreateJoinCodeDto): Promise<JoinCodeResponse> {
    return this.networks.createJoinCode(user.id, circleId, dto);
  }

  @Post('network/join')
  @MinRole('organizer')
  @HttpCode(200)
  @ApiOperation({ summary: 'Join a network with a join code; the code is then used up (organizer)' })
  @ApiResponse({ status: 200, type: NetworkResponse })
  @ApiResponse({ status: 404, description: 'No such join code (not-found)' })
  @ApiResponse({ status: 409, description: 'The code was used or has expired (invalid-state), or the circle is already in a network (conflict)' })
  joinNetwork(@CurrentUser() user: AuthUser, @Param('circleId', IdPipe) circleId: string, @Body() dto: JoinNetworkDto): Promise<NetworkResponse> {
    return this.networks.join(user.id, circleId, dto.code);
  }

  @Delete('network')
  @MinRole('organizer')
  @HttpCode(204)
  @ApiOperation({ summary: 'Leave the network at once: the circle\'s digests are no longer compared with it (organizer)' })
  @ApiResponse({ status: 204, description: 'Left' })
  leaveNetwork(@CurrentUser() user: AuthUser, @Param('circleId', IdPipe) circleId: string): Promise<void> {
    return this.networks.leave(user.id, circleId);
  }
}
