import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DomainError } from '../common/errors/domain-error.js';
import { decodeCursor, toPage, type Page } from '../common/pagination.js';
import { TransactionHost } from '../database/transaction-host.js';
import { EventsService } from '../events/events.service.js';
import { CircleAccess } from './circle-access.service.js';
import { Circle } from './circle.entity.js';
import { currencyExponent } from './currency.js';
import type { CreateCircleDto } from './dto/create-circle.dto.js';
import { toCircleResponse, type CircleResponse } from './dto/circle.response.js';
import type { UpdateCircleDto } from './dto/update-circle.dto.js';
import { requireIfMatch } from './etag.js';
import { Membership } from './membership.entity.js';

@Injectable()
export class CirclesService {
  constructor(
    private readonly tx: TransactionHost,
    private readonly access: CircleAccess,
    private readonly events: EventsService,
  ) {}

  async create(userId: string, dto: CreateCircleDto): Promise<CircleResponse> {
    const exponent = currencyExponent(dto.currency);
    if (exponent === undefined) throw new DomainError('validation-failed', 'currency is not a supported ISO 4217 code');
    return this.tx.run(async (manager) => {
      const circle = manager.create(Circle, { id: randomUUID(), name: dto.name, currency: dto.currency, currencyExponent: exponent, timezone: dto.timezone });
      await manager.insert(Circle, circle);
      await manager.insert(Membership, { circleId: circle.id, userId, role: 'organizer' });
      // The ledger opens the circle's accounts on this event, in this transaction.
      await this.events.emit('circle.created', circle.id, { currency: circle.currency, timezone: circle.timezone });
      await this.events.emit('member.joined', circle.id, { userId, role: 'organizer' });
      const saved = await manager.findOneByOrFail(Circle, { id: circle.id });
      return toCircleResponse(saved, 'organizer');
    });
  }

  async listMine(userId: string, limit: number, cursor?: string): Promise<Page<CircleResponse>> {
    const after = decodeCursor(cursor, 2);
    const qb = this.tx.manager
      .createQueryBuilder(Circle, 'c')
      .innerJoin(Membership, 'm', 'm.circle_id = c.id AND m.user_id = :userId', { userId })
      .addSelect('m.role', 'm_role')
      .orderBy('c.created_at', 'ASC')
      .addOrderBy('c.id', 'ASC')
      .limit(limit + 1);
    if (after) qb.where('(c.created_at, c.id) > (:at::timestamptz, :id::uuid)', { at: after[0], id: after[1] });
    const { entities, raw } = await qb.getRawAndEntities<{ m_role: Membership['role'] }>();
    const rows = entities.map((circle, i) => ({ circle, role: raw[i].m_role }));
    return toPage(rows, limit, (r) => [r.circle.createdAt.toISOString(), r.circle.id], (r) => toCircleResponse(r.circle, r.role));
  }

  async get(userId: string, circleId: string): Promise<CircleResponse> {
    const ctx = await this.access.require(circleId, userId);
    const circle = await this.tx.manager.findOneByOrFail(Circle, { id: circleId });
    return toCircleResponse(circle, ctx.role);
  }

  async update(userId: string, circleId: string, ifMatch: string | undefined, dto: UpdateCircleDto): Promise<CircleResponse> {
    return this.tx.run(async (manager) => {
      const ctx = await this.access.require(circleId, userId);
      const current = await manager.findOneByOrFail(Circle, { id: circleId });
      requireIfMatch(ifMatch, current.version);
      const changes = Object.fromEntries(Object.entries(dto).filter(([, v]) => v !== undefined));
      // Guarded on the version read above, so a concurrent edit makes this one 412, not a lost update.
      const result = await manager
        .createQueryBuilder()
        .update(Circle)
        .set({ ...changes, version: () => 'version + 1' })
        .where('id = :id AND version = :version', { id: circleId, version: current.version })
        .execute();
      if (result.affected !== 1) throw new DomainError('precondition-failed', 'The circle changed while you were editing it: fetch it again.');
      return toCircleResponse(await manager.findOneByOrFail(Circle, { id: circleId }), ctx.role);
    });
  }
}
