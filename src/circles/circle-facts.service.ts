import { Injectable } from '@nestjs/common';
import { In } from 'typeorm';
import { DomainError } from '../common/errors/domain-error.js';
import { TransactionHost } from '../database/transaction-host.js';
import { Circle } from './circle.entity.js';

/** The settings of a circle that other modules' rules and jobs depend on. */
export interface CircleFacts {
  /** IANA time zone: payout days, pledge weeks and local dates follow it. */
  timezone: string;
  currency: string;
  /** Days after a recipient's exit before the vault row is purged. */
  retentionDays: number;
  /** The circle's name: shown on its public page (src/web/), only after the caller's access check. */
  name: string;
}

/**
 * Read-only facts about circles for the modules above this one, which may not read the
 * circles table themselves (docs/architecture.md "Modules"). No access check: callers either checked
 * the user already or are jobs acting for the platform. Batched for the jobs, so a run over
 * many circles costs one query, not one per row.
 */
@Injectable()
export class CircleFactsService {
  constructor(private readonly tx: TransactionHost) {}

  /** Facts of each existing circle among `circleIds`; ids of no circle are simply absent. */
  async factsOf(circleIds: readonly string[]): Promise<Map<string, CircleFacts>> {
    const ids = [...new Set(circleIds)];
    if (ids.length === 0) return new Map();
    const circles = await this.tx.manager.find(Circle, { select: { id: true, name: true, timezone: true, currency: true, retentionDays: true }, where: { id: In(ids) } });
    return new Map(circles.map((c) => [c.id, { timezone: c.timezone, currency: c.currency, retentionDays: c.retentionDays, name: c.name }]));
  }

  /** The circle's time zone, read now: it may have changed since the caller last looked. */
  async timezoneOf(circleId: string): Promise<string> {
    const facts = (await this.factsOf([circleId])).get(circleId);
    if (!facts) throw DomainError.notFound('circle');
    return facts.timezone;
  }
}
