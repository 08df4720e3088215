import type { LoggerService } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { pino, type DestinationStream, type Logger as PinoLogger, type LoggerOptions } from 'pino';

/** Path segments that are bearer secrets (invite, acknowledgement, intake and status-link tokens) never reach a log line. */
export function redactUrl(url: string | undefined): string {
  if (!url) return '';
  const [path] = url.split('?');
  return path.replace(/\/(invites|payout-acknowledgements|intake|person-links|ack|link|ask)\/[^/]+/g, '/$1/[redacted]');
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

/** The request id: the client's `X-Request-Id` when it is a sane token, otherwise a new UUID. */
export function requestIdOf(req: IncomingMessage): string {
  const given = req.headers['x-request-id'];
  return typeof given === 'string' && /^[\w-]{8,64}$/.test(given) ? given : randomUUID();
}

/**
 * The one pino logger of a process: Fastify logs requests through it and Nest's own
 * messages reach it through NestPinoLogger. JSON lines, except on a terminal where
 * pino-pretty makes them readable; `destination` (tests) receives the JSON lines instead.
 */
export function createRootLogger(level: string, destination?: DestinationStream): PinoLogger {
  const options: LoggerOptions = { level, redact: { paths: REDACT, censor: '[redacted]' } };
  if (destination) return pino(options, destination);
  if (process.stdout.isTTY) return pino({ ...options, transport: { target: 'pino-pretty', options: { translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname' } } });
  return pino(options);
}

/** Nest's start-up chatter (every module loaded, every route mapped): useful when debugging, noise otherwise. */
const DEBUG_CONTEXTS = new Set(['InstanceLoader', 'RoutesResolver', 'RouterExplorer']);

type Level = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace';

/**
 * Nest's LoggerService on the process's pino logger. A message may be a string or an
 * object of fields (`{ err: … }`); the last string parameter, when there is one, is the
 * context Nest's Logger adds (the class name).
 */
export class NestPinoLogger implements LoggerService {
  constructor(private readonly root: PinoLogger) {}

  log(message: unknown, ...params: unknown[]): void {
    const context = contextOf(params);
    this.write(context !== undefined && DEBUG_CONTEXTS.has(context) ? 'debug' : 'info', message, params);
  }
  error(message: unknown, ...params: unknown[]): void {
    this.write('error', message, params);
  }
  warn(message: unknown, ...params: unknown[]): void {
    this.write('warn', message, params);
  }
  debug(message: unknown, ...params: unknown[]): void {
    this.write('debug', message, params);
  }
  verbose(message: unknown, ...params: unknown[]): void {
    this.write('trace', message, params);
  }
  fatal(message: unknown, ...params: unknown[]): void {
    this.write('fatal', message, params);
  }

  private write(level: Level, message: unknown, params: unknown[]): void {
    if (!this.root.isLevelEnabled(level)) return;
    const context = contextOf(params);
    const rest = context === undefined ? params : params.slice(0, -1);
    const text = rest.find((p): p is string => typeof p === 'string');
    if (typeof message === 'object' && message !== null) {
      this.root[level]({ context, ...(message as Record<string, unknown>) }, text);
    } else {
      // Nest passes an error's stack as the string after the message.
      this.root[level](text !== undefined && level === 'error' ? { context, stack: text } : { context }, String(message));
    }
  }
}

function contextOf(params: unknown[]): string | undefined {
  const last = params[params.length - 1];
  return typeof last === 'string' && params.length > 0 && /^[A-Za-z][\w.-]*$/.test(last) ? last : undefined;
}
