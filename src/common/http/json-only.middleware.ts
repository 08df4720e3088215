import type { NextFunction, Request, Response } from 'express';
import { DomainError } from '../errors/domain-error.js';

const JSON_TYPE = /^application\/([\w.+-]+\+)?json\s*(;|$)/i;

/** A request that carries a body must say it is JSON; anything else is a 415 before parsing. */
export function jsonOnly(req: Request, _res: Response, next: NextFunction): void {
  const hasBody = Number(req.headers['content-length'] ?? 0) > 0 || req.headers['transfer-encoding'] !== undefined;
  if (hasBody && !JSON_TYPE.test(req.headers['content-type'] ?? '')) {
    next(new DomainError('unsupported-media-type', 'Send the request body as application/json.'));
    return;
  }
  next();
}
