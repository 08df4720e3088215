import { Body, Controller, Get, Header, HttpCode, Param, Patch, Post } from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { Public } from '../auth/public.decorator.js';
import { IdPipe } from '../common/http/id.pipe.js';
import { PayoutAcknowledgementResponse } from '../payouts/dto/payout-acknowledgement.response.js';
import { SelfExitDto, UpdateOwnPrivateDto } from './dto/person-link.dto.js';
import { PersonViewResponse } from './dto/person-view.response.js';
import { PersonLinks } from './person-links.service.js';
import { AttachmentResponse } from './dto/attachment.response.js';
import { UploadedFile } from './uploaded-file.decorator.js';

/** A person's own status link: no account, the secret in the path is the only credential. */
@ApiTags('requests')
@Controller('v1/person-links/:linkToken')
export class PersonLinksController {
  constructor(private readonly links: PersonLinks) {}

  @Get()
  @Public()
  @Header('Cache-Control', 'no-store')
  @ApiOperation({ summary: 'The state of your request, or of your place on the roster and your payouts (no account; never your private details)' })
  @ApiResponse({ status: 200, type: PersonViewResponse })
  @ApiResponse({ status: 404, description: 'No such link, or it was replaced or revoked (not-found)' })
  viewOwnStatus(@Param('linkToken') token: string): Promise<PersonViewResponse> {
    return this.links.view(token);
  }

  @Post('withdraw')
  @Public()
  @HttpCode(200)
  @ApiOperation({ summary: 'Withdraw your request while it is submitted or in review' })
  @ApiResponse({ status: 200, type: PersonViewResponse })
  withdrawOwnRequest(@Param('linkToken') token: string): Promise<PersonViewResponse> {
    return this.links.withdraw(token);
  }

  @Post('acknowledge')
  @Public()
  @HttpCode(200)
  @ApiOperation({ summary: 'Confirm that the grant you were paid arrived' })
  @ApiResponse({ status: 200, type: PersonViewResponse })
  @ApiResponse({ status: 409, description: 'Already acknowledged (acknowledgement-used), or not paid (invalid-state)' })
  acknowledgeOwnGrant(@Param('linkToken') token: string): Promise<PersonViewResponse> {
    return this.links.acknowledgeGrant(token);
  }

  @Post('payouts/:payoutId/acknowledge')
  @Public()
  @HttpCode(200)
  @ApiOperation({ summary: 'Confirm that one of your weekly payouts arrived (recipients on the roster)' })
  @ApiResponse({ status: 200, type: PayoutAcknowledgementResponse })
  @ApiResponse({ status: 409, description: 'Already acknowledged (acknowledgement-used), or not sent (invalid-state)' })
  acknowledgeOwnPayout(@Param('linkToken') token: string, @Param('payoutId', IdPipe) payoutId: string): Promise<PayoutAcknowledgementResponse> {
    return this.links.acknowledgePayout(token, payoutId);
  }

  @Post('exit')
  @Public()
  @HttpCode(200)
  @ApiOperation({ summary: 'Take yourself off the roster ("I found a job": employed); your slot is offered to the next person waiting' })
  @ApiResponse({ status: 200, type: PersonViewResponse })
  exitOwnPlace(@Param('linkToken') token: string, @Body() dto: SelfExitDto): Promise<PersonViewResponse> {
    return this.links.exit(token, dto);
  }

  @Post('attachments')
  @Public()
  @ApiConsumes('multipart/form-data')
  @ApiBody({ schema: { type: 'object', required: ['file'], properties: { file: { type: 'string', format: 'binary', description: 'A JPEG, PNG or PDF of at most 5 MB.' } } } })
  @ApiOperation({ summary: 'Attach a bill or a letter to your open request, if the circle takes attachments: JPEG, PNG or PDF (judged by content), at most 5 MB, at most 3; sealed in the vault, read only by organizers' })
  @ApiResponse({ status: 201, type: AttachmentResponse })
  @ApiResponse({ status: 409, description: 'Already 3 files (too-many-attachments), or the request is decided or the circle takes none (invalid-state)' })
  @ApiResponse({ status: 413, description: 'Larger than 5 MB (payload-too-large)' })
  @ApiResponse({ status: 415, description: 'Not a JPEG, PNG or PDF, or not a multipart upload of one file (unsupported-file-type)' })
  addOwnAttachment(@Param('linkToken') token: string, @UploadedFile() content: Buffer): Promise<AttachmentResponse> {
    return this.links.addAttachment(token, content);
  }

  @Patch('private')
  @Public()
  @HttpCode(204)
  @ApiOperation({ summary: 'Replace your contact and/or payout handle (what you leave out is kept); they go to the encrypted vault only' })
  @ApiResponse({ status: 204, description: 'Stored' })
  updateOwnPrivate(@Param('linkToken') token: string, @Body() dto: UpdateOwnPrivateDto): Promise<void> {
    return this.links.updatePrivate(token, dto);
  }
}
