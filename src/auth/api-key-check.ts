import { Injectable } from '@nestjs/common';
import type { AuthUser } from './auth-user.js';

/** Recognizable at a glance (and by secret scanners): every API key starts with this. */
export const API_KEY_PREFIX = 'arvk_';

/** Checks an API key for a request to /v1/circles/{circleId}/…; the principal, or null for an unknown or revoked key. */
export type ApiKeyVerifier = (key: string, circleId: string) => Promise<AuthUser | null>;

/**
 * Lets the circles module, which owns API keys, answer for keys that reach the global guard,
 * without auth importing it (auth stays below circles: it only calls back).
 */
@Injectable()
export class ApiKeyCheck {
  private verifier: ApiKeyVerifier | undefined;

  verifyWith(verifier: ApiKeyVerifier): void {
    this.verifier = verifier;
  }

  verify(key: string, circleId: string): Promise<AuthUser | null> {
    return this.verifier ? this.verifier(key, circleId) : Promise.resolve(null);
  }
}
