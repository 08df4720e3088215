import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Params } from 'nestjs-pino';
import type { DestinationStream } from 'pino';

/** Path segments that are bearer secrets (invite, acknowledgement, intake and status-link tokens) never reach a log line. */
export function redactUrl(url: string | undefined): string {
  if (!url) return '';
  const [path] = url.split('?');
  return path.replace(/\/(invites|payout-acknowledgements|intake|person-links)\/[^/]+/g, '/$1/[redacted]');
}

const REDACT = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["stripe-signature"]',
  'req.headers["idempotency-key"]',
  'res.headers["set-cookie"]',
  '*.password',
  '*.accessToken',
  '*.refreshToken',
  '*.token',
  '*.alias',
  '*.contact',
  '*.payoutHandle',
  '*.note',
  '*.email',
];

/** Logs go to stdout unless a `destination` is given (tests read what would be logged). */
export function loggerParams(level: string, destination?: DestinationStream): Params {
  const params = {
    pinoHttp: {
      level,
      redact: { paths: REDACT, censor: '[redacted]' },
      genReqId: (req: IncomingMessage) => {
        const given = req.headers['x-request-id'];
        return typeof given === 'string' && /^[\w-]{8,64}$/.test(given) ? given : randomUUID();
      },
      // Only what operators need: no IP address, no headers, no query string, no body.
      serializers: {
        req: (req: { id: string; method: string; url: string }) => ({ id: req.id, method: req.method, url: redactUrl(req.url) }),
        res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
      },
      customLogLevel: (_req, res, err) => (err || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'info' : 'info'),
      autoLogging: { ignore: (req) => (req.url ?? '').startsWith('/health') },
    },
  } satisfies Params;
  return destination ? { pinoHttp: [params.pinoHttp, destination] } : params;
}
