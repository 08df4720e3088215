import { Body, Controller, Delete, Get, Header, HttpCode, Param, Post, Query, StreamableFile } from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiOperation, ApiProduces, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { AuthUser } from '../auth/auth-user.js';
import { CurrentUser } from '../auth/current-user.decorator.js';
import { IdPipe } from '../common/http/id.pipe.js';
import { Idempotent } from '../common/idempotency/idempotent.decorator.js';
import { DEFAULT_PAGE_LIMIT } from '../common/pagination.js';
import { SendPayoutDto } from '../payouts/dto/send-payout.dto.js';
import { ApproveRequestDto } from './dto/approve-request.dto.js';
import { CreateRequestDto } from './dto/create-request.dto.js';
import { DeclineRequestDto } from './dto/decline-request.dto.js';
import { StatusLinkResponse } from './dto/links.response.js';
import { ListRequestsDto } from './dto/list-requests.dto.js';
import { RequestPrivateResponse } from './dto/request-private.response.js';
import { RequestDetailResponse, RequestPageResponse, RequestResponse } from './dto/request.response.js';
import { GrantPayments } from './grant-payments.service.js';
import { PersonLinks } from './person-links.service.js';
import { AttachmentResponse } from './dto/attachment.response.js';
import { RequestAttachments } from './request-attachments.service.js';
import { RequestDecisions } from './request-decisions.service.js';
import { RequestsService } from './requests.service.js';
import { UploadedFileReader } from './uploaded-file.decorator.js';
import { MinRole } from '../circles/min-role.decorator.js';

@ApiTags('requests')
@Controller('v1/circles/:circleId')
export class RequestsController {
  constructor(
    private readonly requests: RequestsService,
    private readonly decisions: RequestDecisions,
    private readonly payments: GrantPayments,
    private readonly links: PersonLinks,
    private readonly attachments: RequestAttachments,
  ) {}

  @MinRole('member')
  @Post('requests')
  @Idempotent()
  @ApiOperation({ summary: 'Ask for a grant or a place on the roster on behalf of a neighbour (any member: a referral) or as an organizer; contact, payout handle and note go to the vault only' })
  @ApiResponse({ status: 201, type: RequestResponse })
  openRequest(@CurrentUser() user: AuthUser, @Param('circleId', IdPipe) circleId: string, @Body() dto: CreateRequestDto): Promise<RequestResponse> {
    return this.requests.open(user.id, circleId, dto);
  }

  @MinRole('treasurer')
  @Get('requests')
  @ApiOperation({ summary: 'Requests of the circle, newest first, by status and kind (organizer, treasurer; only organizers see who opened or referred each)' })
  @ApiResponse({ status: 200, type: RequestPageResponse })
  listRequests(@CurrentUser() user: AuthUser, @Param('circleId', IdPipe) circleId: string, @Query() query: ListRequestsDto): Promise<RequestPageResponse> {
    return this.requests.list(user.id, circleId, { status: query.status, kind: query.kind }, query.limit ?? DEFAULT_PAGE_LIMIT, query.cursor);
  }

  @MinRole('treasurer')
  @Get('requests/:requestId')
  @ApiOperation({ summary: 'One request with its history (organizer, treasurer)' })
  @ApiResponse({ status: 200, type: RequestDetailResponse })
  getRequest(@CurrentUser() user: AuthUser, @Param('circleId', IdPipe) circleId: string, @Param('requestId', IdPipe) requestId: string): Promise<RequestDetailResponse> {
    return this.requests.get(user.id, circleId, requestId);
  }

  @MinRole('organizer')
  @Post('requests/:requestId/review')
  @HttpCode(200)
  @ApiOperation({ summary: 'submitted → in_review (organizer)' })
  @ApiResponse({ status: 200, type: RequestResponse })
  reviewRequest(@CurrentUser() user: AuthUser, @Param('circleId', IdPipe) circleId: string, @Param('requestId', IdPipe) requestId: string): Promise<RequestResponse> {
    return this.requests.review(user.id, circleId, requestId);
  }

  @MinRole('treasurer')
  @Post('requests/:requestId/approve')
  @HttpCode(200)
  @Idempotent()
  @ApiOperation({
    summary:
      'Approve (organizer; not one you opened or referred). A grant at or above the two-person threshold gets its first approval and waits for a second, different organizer or treasurer. An approved roster request becomes a waitlisted recipient.',
  })
  @ApiResponse({ status: 200, type: RequestResponse })
  @ApiResponse({ status: 409, description: 'Over the month\'s budget (over-budget), the pool less approved grants cannot cover it (insufficient-funds), the same person again (second-person-required), or not submitted/in review (invalid-state)' })
  approveRequest(
    @CurrentUser() user: AuthUser,
    @Param('circleId', IdPipe) circleId: string,
    @Param('requestId', IdPipe) requestId: string,
    @Body() dto: ApproveRequestDto,
  ): Promise<RequestResponse> {
    return this.decisions.approve(user.id, circleId, requestId, dto);
  }

  @MinRole('organizer')
  @Post('requests/:requestId/decline')
  @HttpCode(200)
  @ApiOperation({ summary: 'submitted | in_review → declined, with a reason from a fixed list (organizer)' })
  @ApiResponse({ status: 200, type: RequestResponse })
  declineRequest(
    @CurrentUser() user: AuthUser,
    @Param('circleId', IdPipe) circleId: string,
    @Param('requestId', IdPipe) requestId: string,
    @Body() dto: DeclineRequestDto,
  ): Promise<RequestResponse> {
    return this.requests.decline(user.id, circleId, requestId, dto.reason);
  }

  @MinRole('organizer')
  @Post('requests/:requestId/cancel')
  @HttpCode(200)
  @ApiOperation({ summary: 'approved → cancelled: a grant that will not be paid releases its reservation of the pool (organizer)' })
  @ApiResponse({ status: 200, type: RequestResponse })
  cancelRequest(@CurrentUser() user: AuthUser, @Param('circleId', IdPipe) circleId: string, @Param('requestId', IdPipe) requestId: string): Promise<RequestResponse> {
    return this.decisions.cancel(user.id, circleId, requestId);
  }

  @MinRole('treasurer')
  @Post('requests/:requestId/send')
  @HttpCode(200)
  @Idempotent()
  @ApiOperation({
    summary:
      'approved → paid: record how the grant went out and post pool → payouts, publishing a receipt of kind grant (treasurer, organizer). At or above the two-person threshold the first call records it and a second, different person confirms with the same details.',
  })
  @ApiResponse({ status: 200, type: RequestResponse })
  sendGrant(@CurrentUser() user: AuthUser, @Param('circleId', IdPipe) circleId: string, @Param('requestId', IdPipe) requestId: string, @Body() dto: SendPayoutDto): Promise<RequestResponse> {
    return this.payments.send(user.id, circleId, requestId, dto);
  }

  @MinRole('treasurer')
  @Post('requests/:requestId/return')
  @HttpCode(200)
  @Idempotent()
  @ApiOperation({ summary: 'paid | acknowledged → returned: the money came back and the grant\'s posting is reversed (treasurer, organizer)' })
  @ApiResponse({ status: 200, type: RequestResponse })
  returnGrant(@CurrentUser() user: AuthUser, @Param('circleId', IdPipe) circleId: string, @Param('requestId', IdPipe) requestId: string): Promise<RequestResponse> {
    return this.payments.returnGrant(user.id, circleId, requestId);
  }

  @MinRole('organizer')
  @Get('requests/:requestId/private')
  @ApiOperation({ summary: 'Decrypt the requester\'s contact, payout handle and note (organizer; every read is recorded)' })
  @ApiResponse({ status: 200, type: RequestPrivateResponse })
  readRequestPrivate(@CurrentUser() user: AuthUser, @Param('circleId', IdPipe) circleId: string, @Param('requestId', IdPipe) requestId: string): Promise<RequestPrivateResponse> {
    return this.requests.readPrivate(user.id, circleId, requestId);
  }

  @MinRole('organizer')
  @Delete('requests/:requestId/private')
  @HttpCode(204)
  @ApiOperation({ summary: 'Erase the request\'s private data: its key and sealed fields are destroyed; the request and its money trail stay (organizer)' })
  @ApiResponse({ status: 204, description: 'Erased' })
  eraseRequestPrivate(@CurrentUser() user: AuthUser, @Param('circleId', IdPipe) circleId: string, @Param('requestId', IdPipe) requestId: string): Promise<void> {
    return this.requests.erasePrivate(user.id, circleId, requestId);
  }

  @MinRole('organizer')
  @Get('requests/:requestId/attachments')
  @ApiOperation({ summary: 'The files attached to a request: type, size, when (organizer; never their content)' })
  @ApiResponse({ status: 200, type: [AttachmentResponse] })
  listRequestAttachments(@CurrentUser() user: AuthUser, @Param('circleId', IdPipe) circleId: string, @Param('requestId', IdPipe) requestId: string): Promise<AttachmentResponse[]> {
    return this.attachments.list(user.id, circleId, requestId);
  }

  @MinRole('organizer')
  @Post('requests/:requestId/attachments')
  @ApiConsumes('multipart/form-data')
  @ApiBody({ schema: { type: 'object', required: ['file'], properties: { file: { type: 'string', format: 'binary', description: 'A JPEG, PNG or PDF of at most 5 MB.' } } } })
  @ApiOperation({
    summary:
      'Attach a bill or a letter to an open request, if the circle takes attachments (organizer): JPEG, PNG or PDF (judged by content), at most 5 MB, at most 3 per request counting the requester\'s own; sealed in the vault',
  })
  @ApiResponse({ status: 201, type: AttachmentResponse })
  @ApiResponse({ status: 409, description: 'Already 3 files (too-many-attachments), or the request is decided or the circle takes none (invalid-state)' })
  @ApiResponse({ status: 413, description: 'Larger than 5 MB (payload-too-large)' })
  @ApiResponse({ status: 415, description: 'Not a JPEG, PNG or PDF, or not a multipart upload of one file (unsupported-file-type)' })
  addRequestAttachment(
    @CurrentUser() user: AuthUser,
    @Param('circleId', IdPipe) circleId: string,
    @Param('requestId', IdPipe) requestId: string,
    @UploadedFileReader() read: () => Promise<Buffer>,
  ): Promise<AttachmentResponse> {
    return this.attachments.addByOrganizer(user.id, circleId, requestId, read);
  }

  @MinRole('organizer')
  @Get('requests/:requestId/attachments/:attachmentId')
  @Header('Cache-Control', 'no-store')
  @ApiOperation({ summary: 'Download one attached file, decrypted (organizer; every read is recorded like a vault read)' })
  @ApiProduces('image/jpeg', 'image/png', 'application/pdf')
  @ApiResponse({ status: 200, description: 'The file', schema: { type: 'string', format: 'binary' } })
  async readRequestAttachment(
    @CurrentUser() user: AuthUser,
    @Param('circleId', IdPipe) circleId: string,
    @Param('requestId', IdPipe) requestId: string,
    @Param('attachmentId', IdPipe) attachmentId: string,
  ): Promise<StreamableFile> {
    const file = await this.attachments.read(user.id, circleId, requestId, attachmentId);
    return new StreamableFile(file.content, { type: file.contentType, disposition: 'attachment', length: file.content.length });
  }

  // Deliberately not @Idempotent(): a stored response for replay would keep the token in plain text.
  @MinRole('organizer')
  @Post('requests/:requestId/status-link')
  @Header('Cache-Control', 'no-store')
  @ApiOperation({ summary: 'Issue the requester a private status link, replacing any earlier one; the token is shown only in this response (organizer)' })
  @ApiResponse({ status: 201, type: StatusLinkResponse })
  issueRequestStatusLink(@CurrentUser() user: AuthUser, @Param('circleId', IdPipe) circleId: string, @Param('requestId', IdPipe) requestId: string): Promise<StatusLinkResponse> {
    return this.links.issueForRequest(user.id, circleId, requestId);
  }

  @MinRole('organizer')
  @Delete('requests/:requestId/status-link')
  @HttpCode(204)
  @ApiOperation({ summary: 'Revoke the requester\'s status link (organizer)' })
  @ApiResponse({ status: 204, description: 'Revoked (or there was none)' })
  revokeRequestStatusLink(@CurrentUser() user: AuthUser, @Param('circleId', IdPipe) circleId: string, @Param('requestId', IdPipe) requestId: string): Promise<void> {
    return this.links.revokeForRequest(user.id, circleId, requestId);
  }

  @MinRole('organizer')
  @Post('recipients/:recipientId/status-link')
  @Header('Cache-Control', 'no-store')
  @ApiOperation({
    summary: 'Issue a recipient a private status link to acknowledge payouts, update their contact or payout handle and leave the roster, replacing any earlier one; the token is shown only in this response (organizer)',
  })
  @ApiResponse({ status: 201, type: StatusLinkResponse })
  issueRecipientStatusLink(@CurrentUser() user: AuthUser, @Param('circleId', IdPipe) circleId: string, @Param('recipientId', IdPipe) recipientId: string): Promise<StatusLinkResponse> {
    return this.links.issueForRecipient(user.id, circleId, recipientId);
  }

  @MinRole('organizer')
  @Delete('recipients/:recipientId/status-link')
  @HttpCode(204)
  @ApiOperation({ summary: 'Revoke a recipient\'s status link (organizer)' })
  @ApiResponse({ status: 204, description: 'Revoked (or there was none)' })
  revokeRecipientStatusLink(@CurrentUser() user: AuthUser, @Param('circleId', IdPipe) circleId: string, @Param('recipientId', IdPipe) recipientId: string): Promise<void> {
    return this.links.revokeForRecipient(user.id, circleId, recipientId);
  }
}
