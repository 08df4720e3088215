import { Inject, Injectable } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { PassportStrategy } from '@nestjs/passport';
import { createSecretKey } from 'node:crypto';
import { ExtractJwt, Strategy } from 'passport-jwt';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import type { AuthUser } from './auth-user.js';
import { isSessionCheckDeferred, unauthenticated } from './jwt-auth.guard.js';
import { SessionsService } from './sessions.service.js';
import { rememberVerifiedTokens, type TokenVerifier } from './verified-tokens.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

// passport-jwt checks every token through its static JwtVerifier (jsonwebtoken.verify); a
// token it has passed once is not checked again while it lives (src/auth/verified-tokens.ts).
const strategyStatics = Strategy as unknown as { JwtVerifier: TokenVerifier; rememberingTokens?: true };
if (!strategyStatics.rememberingTokens) {
  strategyStatics.JwtVerifier = rememberVerifiedTokens(strategyStatics.JwtVerifier);
  strategyStatics.rememberingTokens = true;
}

/**
 * Verifies the bearer access token: HS256 only (so `alg: none` and algorithm-confusion
 * tokens fail), our issuer and audience, not expired, and a session not revoked (checked
 * here, or left to the request's transaction: JwtAuthGuard, AuthUser.deferredSessionCheck).
 */
@Injectable()
export class JwtStrategy extends PassportStrategy(Strategy, 'jwt') {
  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly sessions: SessionsService,
  ) {
    super({
      jwtFromRequest: ExtractJwt.fromAuthHeaderAsBearerToken(),
      // A KeyObject, not the string: given a string, jsonwebtoken converts it on every
      // verification (crypto.createPublicKey, then createSecretKey), a large share of the
      // CPU time of an authenticated request. The types predate KeyObject support.
      secretOrKey: createSecretKey(Buffer.from(config.jwt.secret, 'utf8')) as unknown as Buffer,
      algorithms: ['HS256'],
      issuer: config.jwt.issuer,
      audience: config.jwt.audience,
      ignoreExpiration: false,
      passReqToCallback: true,
    });
  }

  /** Returning false makes the guard answer 401. */
  async validate(req: FastifyRequest, payload: Record<string, unknown>): Promise<AuthUser | false> {
    const { sub, sid } = payload;
    if (typeof sub !== 'string' || typeof sid !== 'string' || !UUID.test(sub) || !UUID.test(sid)) return false;
    if (isSessionCheckDeferred(req)) return { id: sub, sessionId: sid, deferredSessionCheck: this.sessions.deferredCheck(sid, sub, () => unauthenticated()) };
    // On /v1/circles/{circleId}/… the caller's access to the circle comes with the session check.
    const circleId = (req.params as Record<string, string> | undefined)?.circleId;
    const active = typeof circleId === 'string' && UUID.test(circleId) ? await this.sessions.isActiveInCircle(sid, sub, circleId) : await this.sessions.isActive(sid, sub);
    return active ? { id: sub, sessionId: sid } : false;
  }
}
