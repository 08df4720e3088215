import { Inject, Injectable } from '@nestjs/common';
import { CircleAccess } from '../../circles/circle-access.service.js';
import { DomainError } from '../../common/errors/domain-error.js';
import { APP_CONFIG, type AppConfig } from '../../config/app-config.js';
import type { ReadLinkResponse } from './dto/read-link.response.js';
import { openReadLink, readLinkKey, signReadLink } from './read-link-token.js';

/** How long a read link opens the circle's page. */
export const READ_LINK_TTL_MINUTES = 60;

/**
 * Read links to a circle's page for its members (docs/pages.md "The circle's page"), so a
 * member can open the page — figures, receipts, the verify button — in a browser without
 * the receipts being public. Signed, not stored; the member must still belong to the circle
 * each time the link is used.
 */
@Injectable()
export class ReadLinksService {
  private readonly key: Buffer;

  constructor(
    private readonly access: CircleAccess,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.key = readLinkKey(config.jwt.secret);
  }

  async issue(userId: string, circleId: string, now: Date = new Date()): Promise<ReadLinkResponse> {
    await this.access.require(circleId, userId);
    const expiresAt = now.getTime() + READ_LINK_TTL_MINUTES * 60_000;
    const token = signReadLink(this.key, { circleId, userId, expiresAt });
    return { path: `/circle/${circleId}?read=${encodeURIComponent(token)}`, expiresAt: new Date(expiresAt).toISOString() };
  }

  /** The member a read link speaks for; 404 when it is forged, expired, for another circle, or its member has left. */
  async readerOf(circleId: string, token: unknown): Promise<string> {
    const claims = openReadLink(this.key, token);
    if (!claims || claims.circleId !== circleId) throw DomainError.notFound('circle');
    const reader = await this.access.requireReader(circleId, claims.userId);
    if (reader.role === null) throw DomainError.notFound('circle');
    return claims.userId;
  }
}
