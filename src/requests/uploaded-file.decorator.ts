import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
// Type-only: brings in @fastify/multipart's additions to FastifyRequest (isMultipart, file).
import type {} from '@fastify/multipart';
import type { FastifyRequest } from 'fastify';
import { DomainError } from '../common/errors/domain-error.js';
import { MAX_ATTACHMENT_BYTES } from './file-signature.js';

/**
 * The one file of a `multipart/form-data` upload, read into memory within this route's limits
 * (@fastify/multipart, registered in src/bootstrap.ts): one file, no other fields, at most
 * MAX_ATTACHMENT_BYTES. The JSON body limit of every other route is not raised. The file's
 * name and declared type are dropped: the service decides the type from its bytes.
 */
export const UploadedFile = createParamDecorator((_data: unknown, ctx: ExecutionContext): Promise<Buffer> => readUploadedFile(ctx.switchToHttp().getRequest<FastifyRequest>()));

/**
 * The same upload, read only when the returned function is called: for routes whose caller
 * must pass the access check first, so a stranger or a role too low gets its 404 or 403
 * whatever it sent, and no one's upload is read before they are known to be allowed.
 */
export const UploadedFileReader = createParamDecorator((_data: unknown, ctx: ExecutionContext): (() => Promise<Buffer>) => {
  const req = ctx.switchToHttp().getRequest<FastifyRequest>();
  return () => readUploadedFile(req);
});

async function readUploadedFile(req: FastifyRequest): Promise<Buffer> {
  if (typeof req.isMultipart !== 'function' || !req.isMultipart()) {
    throw new DomainError('unsupported-file-type', 'Send the file as multipart/form-data with one part named "file".');
  }
  let content: Buffer | undefined;
  try {
    const part = await req.file({ limits: { fileSize: MAX_ATTACHMENT_BYTES, files: 1, fields: 0, parts: 1 }, throwFileSizeLimit: true });
    content = await part?.toBuffer();
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === 'FST_REQ_FILE_TOO_LARGE') throw new DomainError('payload-too-large', `An attached file may be at most ${MAX_ATTACHMENT_BYTES / 1024 / 1024} MB.`);
    // Fixed text: the parser's message could quote the upload.
    throw new DomainError('unsupported-file-type', 'The upload could not be read as multipart/form-data with one file and no other fields.');
  }
  if (!content || content.length === 0) throw new DomainError('unsupported-file-type', 'The upload holds no file.');
  return content;
}
