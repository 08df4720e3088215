import { Body, Controller, Get, Param, Post, Req, Res, UseFilters, UseGuards } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
// Type-only: brings in @fastify/multipart's additions to FastifyRequest (isMultipart, parts).
import type {} from '@fastify/multipart';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Public } from '../auth/public.decorator.js';
import { DomainError } from '../common/errors/domain-error.js';
import { CreateRequestDto } from '../requests/dto/create-request.dto.js';
import { detectAttachmentType, MAX_ATTACHMENT_BYTES } from '../requests/file-signature.js';
import { IntakeLinks } from '../requests/intake-links.service.js';
import { IntakeRateLimitGuard } from '../requests/intake-rate-limit.guard.js';
import { PersonLinks } from '../requests/person-links.service.js';
import { exampleAmount, parseFormAmount } from './form-amount.js';
import { CSRF_FIELD, csrfTokenValid } from './page-csrf.js';
import { PageErrorFilter } from './page-error.filter.js';
import { formAs } from './page-form.js';
import { PageRenderer } from './page-renderer.js';
import { PERSON_LINK_PAGE_PATH } from './person-link-page.controller.js';

/** The text fields of the intake form, as CreateRequestDto names them. */
const FIELDS = ['kind', 'category', 'alias', 'contact', 'payoutHandle', 'note'] as const;

/**
 * The intake form behind a circle's intake link (`/v1/intake/{token}` in the API): the
 * request's fields, a file when the circle takes attachments, and a plain account of what is
 * kept, who sees it and when it is deleted. Sending it opens the request exactly as the API
 * does and leads to the requester's own page (their status link).
 */
@ApiExcludeController()
@Public()
@UseFilters(PageErrorFilter)
@UseGuards(IntakeRateLimitGuard)
@Controller('ask/:token')
export class IntakePageController {
  constructor(
    private readonly pages: PageRenderer,
    private readonly intake: IntakeLinks,
    private readonly links: PersonLinks,
  ) {}

  @Get()
  async show(@Param('token') token: string, @Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<FastifyReply> {
    const form = await this.intake.form(token);
    return this.pages.send(req, reply, { view: 'intake', title: 'intake.title', data: { form, example: exampleAmount(form.currencyExponent) } });
  }

  @Post()
  async submit(@Param('token') token: string, @Body() body: unknown, @Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<FastifyReply> {
    const form = await this.intake.form(token);
    const { fields, file } = req.isMultipart() ? await readMultipart(req, form.attachmentsEnabled) : { fields: (body ?? {}) as Record<string, string>, file: undefined };
    if (!csrfTokenValid(req, fields[CSRF_FIELD])) throw new DomainError('forbidden', 'The form lacks a valid CSRF token.');
    const amountText = fields.amount?.trim();
    const amount = amountText ? parseFormAmount(amountText, form.currencyExponent) : undefined;
    if (amountText && amount === undefined) {
      throw new DomainError('validation-failed', 'amount is not an amount', { errors: [{ field: 'amount', message: 'amount must be a plain number' }] });
    }
    const dto = await formAs(CreateRequestDto, fields, FIELDS, amount === undefined ? {} : { amount });
    // The file is judged before the request exists, so a refused file leaves no request behind.
    if (file && !detectAttachmentType(file)) throw new DomainError('unsupported-file-type', 'Only JPEG, PNG and PDF files can be attached.');
    const { response: submitted } = await this.intake.submit(token, dto);
    if (file) await this.links.addAttachment(submitted.statusToken, file);
    return reply.redirect(`${PERSON_LINK_PAGE_PATH}/${encodeURIComponent(submitted.statusToken)}?done=submitted`, 303);
  }
}

/**
 * The form sent as multipart/form-data (when the circle takes attachments): its text fields
 * and at most one file of at most MAX_ATTACHMENT_BYTES. An empty file part (no file chosen)
 * is no file.
 */
async function readMultipart(req: FastifyRequest, attachmentsEnabled: boolean): Promise<{ fields: Record<string, string>; file: Buffer | undefined }> {
  const fields: Record<string, string> = Object.create(null) as Record<string, string>;
  let file: Buffer | undefined;
  try {
    for await (const part of req.parts({ limits: { fileSize: MAX_ATTACHMENT_BYTES, files: 1, fields: 12, parts: 13, fieldSize: 4096 } })) {
      if (part.type === 'file') {
        const content = await part.toBuffer();
        if (content.length > 0) file = content;
      } else if (typeof part.value === 'string' && !(part.fieldname in fields)) {
        fields[part.fieldname] = part.value;
      }
    }
  } catch (error) {
    if ((error as { code?: string }).code === 'FST_REQ_FILE_TOO_LARGE') throw new DomainError('payload-too-large', `An attached file may be at most ${MAX_ATTACHMENT_BYTES / 1024 / 1024} MB.`);
    // Fixed text: the parser's message could quote the upload.
    throw new DomainError('validation-failed', 'The form could not be read.');
  }
  if (file && !attachmentsEnabled) throw new DomainError('invalid-state', 'This circle takes no attachments.');
  return { fields, file };
}
