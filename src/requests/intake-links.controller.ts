import { Body, Controller, Get, Header, HttpCode, Param, Post, Req, Res, UseGuards } from '@nestjs/common';
import { ApiHeader, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AuthUser } from '../auth/auth-user.js';
import { CurrentUser } from '../auth/current-user.decorator.js';
import { Public } from '../auth/public.decorator.js';
import { IdPipe } from '../common/http/id.pipe.js';
import { IDEMPOTENCY_KEY_HEADER, IDEMPOTENCY_KEY_SCHEMA, IDEMPOTENCY_REPLAYED_HEADER, IDEMPOTENCY_RETENTION_HOURS, optionalIdempotencyKey, requestFingerprint } from '../common/idempotency/idempotency-request.js';
import { CreateIntakeLinkDto } from './dto/create-intake-link.dto.js';
import { CreateRequestDto } from './dto/create-request.dto.js';
import { IntakeFormResponse, IntakeLinkCreatedResponse, IntakeLinkResponse, IntakeSubmittedResponse } from './dto/links.response.js';
import { IntakeLinks } from './intake-links.service.js';
import { IntakeRateLimitGuard } from './intake-rate-limit.guard.js';
import { MinRole } from '../circles/min-role.decorator.js';

@ApiTags('requests')
@Controller('v1')
export class IntakeLinksController {
  constructor(private readonly intake: IntakeLinks) {}

  // Not @Idempotent(): the response carries the secret, which an idempotency record would keep.
  @MinRole('organizer')
  @Post('circles/:circleId/intake-links')
  @Header('Cache-Control', 'no-store')
  @ApiOperation({ summary: 'Create an intake link through which neighbours without an account ask for help, with an optional cap of open requests; the token is shown only here (organizer)' })
  @ApiResponse({ status: 201, type: IntakeLinkCreatedResponse })
  createIntakeLink(@CurrentUser() user: AuthUser, @Param('circleId', IdPipe) circleId: string, @Body() dto: CreateIntakeLinkDto): Promise<IntakeLinkCreatedResponse> {
    return this.intake.create(user.id, circleId, dto);
  }

  @MinRole('organizer')
  @Get('circles/:circleId/intake-links')
  @ApiOperation({ summary: 'The circle\'s intake links, newest first, with their open requests (organizer; never the tokens)' })
  @ApiResponse({ status: 200, type: [IntakeLinkResponse] })
  listIntakeLinks(@CurrentUser() user: AuthUser, @Param('circleId', IdPipe) circleId: string): Promise<IntakeLinkResponse[]> {
    return this.intake.list(user.id, circleId);
  }

  @MinRole('organizer')
  @Post('circles/:circleId/intake-links/:linkId/rotate')
  @Header('Cache-Control', 'no-store')
  @ApiOperation({ summary: 'Give an intake link a new secret; the old URL stops working at once (organizer)' })
  @ApiResponse({ status: 201, type: IntakeLinkCreatedResponse })
  rotateIntakeLink(@CurrentUser() user: AuthUser, @Param('circleId', IdPipe) circleId: string, @Param('linkId', IdPipe) linkId: string): Promise<IntakeLinkCreatedResponse> {
    return this.intake.rotate(user.id, circleId, linkId);
  }

  @MinRole('organizer')
  @Post('circles/:circleId/intake-links/:linkId/close')
  @HttpCode(200)
  @ApiOperation({ summary: 'Close an intake link: it then answers 404 (organizer)' })
  @ApiResponse({ status: 200, type: IntakeLinkResponse })
  closeIntakeLink(@CurrentUser() user: AuthUser, @Param('circleId', IdPipe) circleId: string, @Param('linkId', IdPipe) linkId: string): Promise<IntakeLinkResponse> {
    return this.intake.close(user.id, circleId, linkId);
  }

  @Get('intake/:intakeToken')
  @Public()
  @UseGuards(IntakeRateLimitGuard)
  @ApiOperation({ summary: 'What an intake form needs: currency, kinds, categories, whether files may be attached (no account; rate-limited per address)' })
  @ApiResponse({ status: 200, type: IntakeFormResponse })
  @ApiResponse({ status: 404, description: 'No such link, or it was closed or rotated (not-found)' })
  @ApiResponse({ status: 429, description: 'Too many requests from this address (rate-limited)' })
  getIntakeForm(@Param('intakeToken') token: string): Promise<IntakeFormResponse> {
    return this.intake.form(token);
  }

  @Post('intake/:intakeToken/requests')
  @Public()
  @UseGuards(IntakeRateLimitGuard)
  @Header('Cache-Control', 'no-store')
  @ApiOperation({
    summary:
      'Ask for a grant or a place on the roster with no account; the answer is the requester\'s private status link, shown once (rate-limited per address). With an Idempotency-Key, a retry of the same request through the same link gets the same answer back.',
  })
  @ApiHeader({
    name: IDEMPOTENCY_KEY_HEADER,
    required: false,
    description:
      `Optional. A fresh unique value (e.g. a UUID) per request; resend it with the same body through the same link to retry safely (kept ${IDEMPOTENCY_RETENTION_HOURS} h per link). ` +
      'A replay returns the first answer, status link included, with `Idempotency-Replayed: true`; the same key with a different body is 422. Without it, every call is a new request.',
    schema: IDEMPOTENCY_KEY_SCHEMA,
  })
  @ApiResponse({ status: 201, type: IntakeSubmittedResponse })
  @ApiResponse({ status: 404, description: 'No such link, or it was closed or rotated (not-found)' })
  @ApiResponse({ status: 409, description: 'The link\'s cap of open requests is reached (intake-link-full), or a request with this Idempotency-Key is still running (idempotency-key-in-flight)' })
  @ApiResponse({ status: 422, description: 'This Idempotency-Key was used with a different request (idempotency-key-reused)' })
  @ApiResponse({ status: 429, description: 'Too many requests from this address (rate-limited)' })
  async submitIntakeRequest(
    @Param('intakeToken') token: string,
    @Body() dto: CreateRequestDto,
    @Req() req: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<IntakeSubmittedResponse> {
    const key = optionalIdempotencyKey(req.headers['idempotency-key']);
    const { response, replayed } = await this.intake.submit(token, dto, key === undefined ? undefined : { key, requestHash: requestFingerprint(req.method, req.originalUrl, req.body) });
    if (replayed) reply.header(IDEMPOTENCY_REPLAYED_HEADER, 'true');
    return response;
  }
}
