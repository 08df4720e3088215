import { Injectable } from '@nestjs/common';
import { DomainError } from '../common/errors/domain-error.js';
import { decodeCursor, toPage, type Page } from '../common/pagination.js';
import { TransactionHost } from '../database/transaction-host.js';
import { UsersService } from '../auth/users.service.js';
import { EventsService } from '../events/events.service.js';
import { MEMBERSHIP_EXCLUSIVE } from './circle-access-prefetch.js';
import { CircleAccess } from './circle-access.service.js';
import { InvitesService } from './invites.service.js';
import type { CircleRole } from './circle-role.js';
import { Circle } from './circle.entity.js';
import type { MemberResponse } from './dto/member.response.js';
import { Membership } from './membership.entity.js';

@Injectable()
export class MembersService {
  constructor(
    private readonly tx: TransactionHost,
    private readonly access: CircleAccess,
    private readonly users: UsersService,
    private readonly invites: InvitesService,
    private readonly events: EventsService,
  ) {}

  async list(userId: string, circleId: string, limit: number, cursor?: string): Promise<Page<MemberResponse>> {
    const ctx = await this.access.require(circleId, userId);
    const after = decodeCursor(cursor, 2);
    const qb = this.tx.manager
      .createQueryBuilder(Membership, 'm')
      .where('m.circle_id = :circleId', { circleId })
      .orderBy('m.joined_at', 'ASC')
      .addOrderBy('m.user_id', 'ASC')
      .limit(limit + 1);
    if (after) qb.andWhere('(m.joined_at, m.user_id) > (:at::timestamptz, :id::uuid)', { at: after[0], id: after[1] });
    const rows = await qb.getMany();
    // Emails are personal data: only organizers, who manage the circle, see them.
    const emails = ctx.role === 'organizer' ? await this.users.findEmails(rows.slice(0, limit).map((r) => r.userId)) : new Map<string, string>();
    return toPage(rows, limit, (m) => [m.joinedAt.toISOString(), m.userId], (m) => ({
      userId: m.userId,
      role: m.role,
      joinedAt: m.joinedAt.toISOString(),
      ...(emails.has(m.userId) ? { email: emails.get(m.userId) } : {}),
    }));
  }

  async changeRole(userId: string, circleId: string, memberId: string, role: CircleRole): Promise<MemberResponse> {
    return this.tx.run(async (manager) => {
      await this.lockCircle(circleId);
      await this.access.require(circleId, userId);
      await this.lockMembership(circleId, memberId);
      const member = await manager.findOneBy(Membership, { circleId, userId: memberId });
      if (!member) throw DomainError.notFound('member');
      if (member.role === 'organizer' && role !== 'organizer') {
        await this.ensureAnotherOrganizer(circleId, memberId);
        await this.invites.revokeOpenInvitesBy(circleId, memberId);
      }
      await manager.update(Membership, { circleId, userId: memberId }, { role });
      if (member.role !== role) await this.events.emit('member.role_changed', circleId, { userId: memberId, from: member.role, to: role });
      return { userId: memberId, role, joinedAt: member.joinedAt.toISOString() };
    });
  }

  /** Organizers remove anyone; any member may remove themselves. */
  async remove(userId: string, circleId: string, memberId: string): Promise<void> {
    await this.tx.run(async (manager) => {
      await this.lockCircle(circleId);
      await this.access.require(circleId, userId, userId === memberId ? undefined : 'organizer');
      if (userId !== memberId) await this.lockMembership(circleId, memberId);
      const member = await manager.findOneBy(Membership, { circleId, userId: memberId });
      if (!member) throw DomainError.notFound('member');
      if (member.role === 'organizer') await this.ensureAnotherOrganizer(circleId, memberId);
      await this.invites.revokeOpenInvitesBy(circleId, memberId);
      await manager.delete(Membership, { circleId, userId: memberId });
      await this.events.emit('member.left', circleId, { userId: memberId, role: member.role });
    });
  }

  /**
   * Account deletion: removes the user from every circle, in the caller's transaction. Each
   * circle is locked as for a role change (in id order, so two deletions cannot deadlock);
   * refused with `last-organizer`, changing nothing, when the user is a circle's only organizer.
   */
  async leaveAllCircles(userId: string): Promise<number> {
    const memberships: { circle_id: string; role: CircleRole }[] = await this.tx.manager.query(
      'SELECT circle_id, role FROM memberships WHERE user_id = $1 ORDER BY circle_id',
      [userId],
    );
    let soleOrganizer = 0;
    for (const m of memberships) {
      await this.lockCircle(m.circle_id);
      await this.lockMembership(m.circle_id, userId);
      if (m.role === 'organizer' && !(await this.hasAnotherOrganizer(m.circle_id, userId))) soleOrganizer++;
    }
    if (soleOrganizer > 0) {
      throw new DomainError('last-organizer', `You are the only organizer of ${soleOrganizer} circle${soleOrganizer === 1 ? '' : 's'}: make someone else an organizer there first.`);
    }
    for (const m of memberships) await this.invites.revokeOpenInvitesBy(m.circle_id, userId);
    await this.tx.manager.query('DELETE FROM memberships WHERE user_id = $1', [userId]);
    for (const m of memberships) await this.events.emit('member.left', m.circle_id, { userId, role: m.role });
    return memberships.length;
  }

  /** Role changes of one circle queue on its row (taken before the caller's own role is read), so two organizers cannot demote each other at once. */
  private async lockCircle(circleId: string): Promise<void> {
    await this.tx.manager.createQueryBuilder(Circle, 'c').setLock('pessimistic_write').where('c.id = :circleId', { circleId }).getOne();
  }

  /**
   * Waits for the member's transactions in flight in this circle, and makes the ones after
   * it wait for this one, so none acts on the role this transaction is about to change
   * (src/circles/circle-access-prefetch.ts, MEMBERSHIP_EXCLUSIVE).
   */
  private async lockMembership(circleId: string, memberId: string): Promise<void> {
    await this.tx.manager.query(MEMBERSHIP_EXCLUSIVE, [circleId, memberId]);
  }

  private async ensureAnotherOrganizer(circleId: string, leavingUserId: string): Promise<void> {
    if (!(await this.hasAnotherOrganizer(circleId, leavingUserId))) throw new DomainError('last-organizer', 'Make someone else an organizer first: a circle always keeps at least one.');
  }

  private async hasAnotherOrganizer(circleId: string, leavingUserId: string): Promise<boolean> {
    const others = await this.tx.manager
      .createQueryBuilder(Membership, 'm')
      .where('m.circle_id = :circleId AND m.role = :role AND m.user_id <> :leavingUserId', { circleId, role: 'organizer', leavingUserId })
      .getCount();
    return others > 0;
  }
}
