import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { MoreThan } from 'typeorm';
import { CircleAccess } from '../circles/circle-access.service.js';
import { DomainError } from '../common/errors/domain-error.js';
import { TransactionHost } from '../database/transaction-host.js';
import { EventsService } from '../events/events.service.js';
import type { AlertSeverity } from './alert-severity.js';
import type { PostAlertDto } from './dto/trust.dto.js';
import { toAlertResponse, type AlertResponse } from './dto/trust.response.js';
import { CircleAlert } from './circle-alert.entity.js';
import { containsLink } from './link-detector.js';

/** The furthest ahead an alert may expire. */
export const ALERT_MAX_DAYS = 365;

/** Most alerts one list returns (the newest). */
export const ALERT_LIST_LIMIT = 200;

const SEVERITY_RANK: Record<AlertSeverity, number> = { critical: 0, warning: 1, info: 2 };

/**
 * Organizers' alerts to their members (docs/trust.md "Alerts"): posted with a severity, a
 * text without links unless allowed, and an expiry; read by every member, active ones first.
 */
@Injectable()
export class AlertsService {
  constructor(
    private readonly tx: TransactionHost,
    private readonly access: CircleAccess,
    private readonly events: EventsService,
  ) {}

  async post(userId: string, circleId: string, dto: PostAlertDto): Promise<AlertResponse> {
    return this.tx.run(async (manager) => {
      await this.access.require(circleId, userId);
      const now = new Date();
      const expiresAt = new Date(dto.expiresAt);
      if (!(expiresAt > now) || expiresAt.getTime() - now.getTime() > ALERT_MAX_DAYS * 86_400_000) {
        throw new DomainError('validation-failed', `expiresAt must be in the future and at most ${ALERT_MAX_DAYS} days ahead`, { errors: [{ field: 'expiresAt', message: 'must be in the future, within a year' }] });
      }
      const text = dto.text.trim();
      if (text.length === 0) throw new DomainError('validation-failed', 'text must not be blank', { errors: [{ field: 'text', message: 'must not be blank' }] });
      if (!dto.allowLinks && containsLink(text)) {
        throw new DomainError('validation-failed', 'text contains a link, a domain or an email address; remove it, or set allowLinks if an organizer means it', { errors: [{ field: 'text', message: 'contains a link' }] });
      }
      const id = randomUUID();
      await manager.insert(CircleAlert, { id, circleId, severity: dto.severity, text, linksAllowed: dto.allowLinks ?? false, postedBy: userId, postedAt: now, expiresAt });
      await this.events.emit('alert.posted', circleId, { alertId: id, severity: dto.severity, expiresAt: expiresAt.toISOString(), at: now.toISOString() }, now);
      return toAlertResponse(await manager.findOneByOrFail(CircleAlert, { id }), now);
    });
  }

  /** Active alerts, most severe and newest first; with `includeExpired`, the expired ones after them, flagged. */
  async list(userId: string, circleId: string, includeExpired: boolean): Promise<AlertResponse[]> {
    await this.access.require(circleId, userId);
    const now = new Date();
    const rows = await this.tx.manager.find(CircleAlert, {
      where: { circleId, ...(includeExpired ? {} : { expiresAt: MoreThan(now) }) },
      order: { postedAt: 'DESC', id: 'DESC' },
      take: ALERT_LIST_LIMIT,
    });
    const active = (a: CircleAlert) => (a.expiresAt > now ? 0 : 1);
    // Array.prototype.sort is stable: within a rank the newest stays first.
    rows.sort((a, b) => active(a) - active(b) || SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity]);
    return rows.map((a) => toAlertResponse(a, now));
  }
}
