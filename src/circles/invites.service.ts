import { Injectable } from '@nestjs/common';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { DomainError } from '../common/errors/domain-error.js';
import { decodeCursor, toPage, type Page } from '../common/pagination.js';
import { TransactionHost } from '../database/transaction-host.js';
import { EventsService } from '../events/events.service.js';
import { CircleAccess } from './circle-access.service.js';
import type { CreateInviteDto } from './dto/create-invite.dto.js';
import { toInviteResponse, type CreatedInviteResponse, type InviteResponse } from './dto/invite.response.js';
import type { AcceptedInviteResponse } from './dto/accepted-invite.response.js';
import { Invite } from './invite.entity.js';
import { Membership } from './membership.entity.js';
import { roleAtLeast, type CircleRole } from './circle-role.js';

const hashToken = (token: string): string => createHash('sha256').update(token).digest('hex');

@Injectable()
export class InvitesService {
  constructor(
    private readonly tx: TransactionHost,
    private readonly access: CircleAccess,
    private readonly events: EventsService,
  ) {}

  async create(userId: string, circleId: string, dto: CreateInviteDto): Promise<CreatedInviteResponse> {
    // In a transaction: the organizer role is checked as it stands, locked until the invite exists.
    return this.tx.run(() => this.createChecked(userId, circleId, dto));
  }

  private async createChecked(userId: string, circleId: string, dto: CreateInviteDto): Promise<CreatedInviteResponse> {
    await this.access.require(circleId, userId);
    const token = randomBytes(32).toString('base64url');
    const invite = this.tx.manager.create(Invite, {
      id: randomUUID(),
      circleId,
      role: dto.role,
      tokenHash: hashToken(token),
      createdBy: userId,
      expiresAt: new Date(Date.now() + (dto.expiresInHours ?? 72) * 3_600_000),
      usedAt: null,
      usedBy: null,
      revokedAt: null,
    });
    await this.tx.manager.insert(Invite, invite);
    const saved = await this.tx.manager.findOneByOrFail(Invite, { id: invite.id });
    return { ...toInviteResponse(saved), token, acceptPath: `/v1/invites/${token}/accept` };
  }

  async list(userId: string, circleId: string, limit: number, cursor?: string): Promise<Page<InviteResponse>> {
    await this.access.require(circleId, userId);
    const after = decodeCursor(cursor, 2);
    const qb = this.tx.manager
      .createQueryBuilder(Invite, 'i')
      .where('i.circle_id = :circleId', { circleId })
      .orderBy('i.created_at', 'DESC')
      .addOrderBy('i.id', 'DESC')
      .limit(limit + 1);
    if (after) qb.andWhere('(i.created_at, i.id) < (:at::timestamptz, :id::uuid)', { at: after[0], id: after[1] });
    return toPage(await qb.getMany(), limit, (i) => [i.createdAt.toISOString(), i.id], toInviteResponse);
  }

  async revoke(userId: string, circleId: string, inviteId: string): Promise<void> {
    await this.access.require(circleId, userId);
    const result = await this.tx.manager
      .createQueryBuilder()
      .update(Invite)
      .set({ revokedAt: () => 'now()' })
      .where('id = :inviteId AND circle_id = :circleId AND used_at IS NULL AND revoked_at IS NULL', { inviteId, circleId })
      .execute();
    if (result.affected !== 1) {
      const exists = await this.tx.manager.existsBy(Invite, { id: inviteId, circleId });
      if (!exists) throw DomainError.notFound('invite');
      throw new DomainError('invite-used', 'This invite was already used or revoked.');
    }
  }

  /**
   * Revokes the open invites `creatorId` made in `circleId`, in the caller's transaction: they
   * are no longer an organizer there, or no longer a member. Returns how many were revoked.
   */
  async revokeOpenInvitesBy(circleId: string, creatorId: string): Promise<number> {
    const result = await this.tx.manager.query(
      'UPDATE invites SET revoked_at = now() WHERE circle_id = $1 AND created_by = $2 AND used_at IS NULL AND revoked_at IS NULL',
      [circleId, creatorId],
    );
    return (result as [unknown[], number])[1] ?? 0;
  }

  async accept(userId: string, token: string): Promise<AcceptedInviteResponse> {
    if (!/^[A-Za-z0-9_-]{20,100}$/.test(token)) throw DomainError.notFound('invite');
    return this.tx.run(async (manager) => {
      const invite = await manager.findOneBy(Invite, { tokenHash: hashToken(token) });
      if (!invite || invite.revokedAt) throw DomainError.notFound('invite');
      if (invite.usedAt) throw new DomainError('invite-used', 'This invite has already been used.');
      if (invite.expiresAt <= new Date()) throw new DomainError('invite-expired', 'This invite has expired: ask an organizer for a new one.');
      // An invite speaks for its creator: it grants nothing above the role they hold now (and
      // nothing once they have left). Their open invites are revoked when they lose the
      // organizer role or leave (revokeOpenInvitesBy); this also covers anything that slipped past.
      const creator: { role: CircleRole }[] = await manager.query('SELECT role FROM memberships WHERE circle_id = $1 AND user_id = $2 FOR SHARE', [invite.circleId, invite.createdBy]);
      if (!creator[0] || !roleAtLeast(creator[0].role, 'organizer') || !roleAtLeast(creator[0].role, invite.role)) throw DomainError.notFound('invite');
      const already = await manager.existsBy(Membership, { circleId: invite.circleId, userId });
      if (already) throw new DomainError('already-member', 'You are already a member of this circle.');
      // Single use: only the request that flips used_at from NULL may join.
      const claimed = await manager
        .createQueryBuilder()
        .update(Invite)
        .set({ usedAt: () => 'now()', usedBy: userId })
        .where('id = :id AND used_at IS NULL AND revoked_at IS NULL', { id: invite.id })
        .execute();
      if (claimed.affected !== 1) throw new DomainError('invite-used', 'This invite has already been used.');
      await manager.insert(Membership, { circleId: invite.circleId, userId, role: invite.role });
      await this.events.emit('member.joined', invite.circleId, { userId, role: invite.role });
      return { circleId: invite.circleId, role: invite.role };
    });
  }
}
