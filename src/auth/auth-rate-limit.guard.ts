import { Inject, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import { isIP } from 'node:net';
import { PgThrottlerStorage } from '../common/rate-limit/pg-throttler-storage.js';
import { RateLimitGuard } from '../common/rate-limit/rate-limit.guard.js';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';

const MINUTE = 60_000;

/** The client address; an IPv6 client is counted by its /64, since one host usually holds the whole prefix. */
export function clientAddress(req: FastifyRequest): string {
  const ip = (req.ip ?? '').replace(/^::ffff:/, '');
  if (isIP(ip) !== 6) return ip;
  const groups = ip.split('::');
  const head = groups[0] ? groups[0].split(':') : [];
  const tail = groups.length > 1 && groups[1] ? groups[1].split(':') : [];
  const full = [...head, ...Array<string>(8 - head.length - tail.length).fill('0'), ...tail];
  return `${full.slice(0, 4).join(':')}::/64`;
}

/** The address a request names in its body, normalised like LoginDto does; undefined when there is none. */
function bodyEmail(req: FastifyRequest): string | undefined {
  const email = (req.body as { email?: unknown } | undefined)?.email;
  return typeof email === 'string' && email.trim() !== '' ? email.trim().toLowerCase() : undefined;
}

/**
 * Slows password guessing: per client address, and per target email so that spreading
 * guesses over many addresses does not help against one account. Routes leave a rule
 * out with @SkipRateLimit('email').
 */
@Injectable()
export class AuthRateLimitGuard extends RateLimitGuard {
  constructor(@Inject(APP_CONFIG) config: AppConfig, storage: PgThrottlerStorage, reflector: Reflector) {
    super(
      [
        { name: 'ip', limit: config.throttle.loginPerMinutePerIp, ttlMs: MINUTE, tracker: clientAddress },
        { name: 'email', limit: config.throttle.loginPerMinutePerEmail, ttlMs: MINUTE, tracker: bodyEmail },
      ],
      storage,
      reflector,
    );
  }
}
