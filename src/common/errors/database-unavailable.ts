import { DomainError } from './domain-error.js';

/** How long a client is told to wait before retrying while the database is away. */
export const DATABASE_RETRY_AFTER_SECONDS = 2;

// SQLSTATEs of a server that is shutting down, starting up or refusing connections, and of
// a connection that broke: the request did not happen (or rolled back), so retrying is safe.
const UNAVAILABLE_SQLSTATES = new Set(['57P01', '57P02', '57P03', '53300', '08000', '08001', '08003', '08004', '08006']);
// Node's socket errors when the server is not there, and node-pg's own words for a lost or
// never-made connection (it raises plain Errors for these, with no code).
const UNAVAILABLE_ERRNOS = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENOTFOUND', 'EAI_AGAIN']);
const UNAVAILABLE_MESSAGES = /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error|Connection closed|the database system is (starting up|shutting down|in recovery mode)|terminating connection due to administrator command/i;

/**
 * Whether `error`, or the driver error inside it, says the database cannot be reached right
 * now (down, restarting, out of connections), as opposed to a fault of the request.
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e && typeof e === 'object' && depth < 4; depth++) {
    const { code, message } = e as { code?: unknown; message?: unknown };
    if (typeof code === 'string' && (UNAVAILABLE_SQLSTATES.has(code) || UNAVAILABLE_ERRNOS.has(code))) return true;
    if (typeof message === 'string' && UNAVAILABLE_MESSAGES.test(message)) return true;
    const inner = e as { driverError?: unknown; cause?: unknown; errors?: unknown[] };
    e = inner.driverError ?? inner.cause ?? (Array.isArray(inner.errors) ? inner.errors[0] : undefined);
  }
  return false;
}

export const databaseUnavailable = (): DomainError =>
  new DomainError('unavailable', 'The database cannot be reached right now; retry shortly.', { headers: { 'Retry-After': String(DATABASE_RETRY_AFTER_SECONDS) } });
