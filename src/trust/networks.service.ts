import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { CircleAccess } from '../circles/circle-access.service.js';
import { DomainError } from '../common/errors/domain-error.js';
import { TransactionHost } from '../database/transaction-host.js';
import { hashAcknowledgementToken as hashCode, newAcknowledgementToken as newCode } from '../payouts/acknowledgement-token.js';
import type { CreateJoinCodeDto } from './dto/trust.dto.js';
import type { JoinCodeResponse, NetworkResponse } from './dto/trust.response.js';
import { NetworkJoinCode } from './network-join-code.entity.js';
import { NetworkMember } from './network-member.entity.js';
import { Network } from './network.entity.js';

export const JOIN_CODE_DEFAULT_HOURS = 72;

/**
 * Networks of circles that compare duplicate digests (docs/trust.md "Networks"): an organizer
 * creates one, shares single-use join codes, and any member circle leaves at once. Organizers
 * only, of the circle they act for.
 */
@Injectable()
export class NetworksService {
  constructor(
    private readonly tx: TransactionHost,
    private readonly access: CircleAccess,
  ) {}

  async get(userId: string, circleId: string): Promise<NetworkResponse> {
    await this.access.require(circleId, userId);
    return this.describe(circleId);
  }

  async create(userId: string, circleId: string): Promise<NetworkResponse> {
    return this.tx.run(async (manager) => {
      await this.access.require(circleId, userId);
      await this.requireOutside(circleId);
      const id = randomUUID();
      await manager.insert(Network, { id });
      await manager.insert(NetworkMember, { circleId, networkId: id, joinedBy: userId });
      return this.describe(circleId);
    });
  }

  async createJoinCode(userId: string, circleId: string, dto: CreateJoinCodeDto): Promise<JoinCodeResponse> {
    return this.tx.run(async (manager) => {
      await this.access.require(circleId, userId);
      const member = await manager.findOneBy(NetworkMember, { circleId });
      if (!member) throw new DomainError('invalid-state', 'This circle is not in a network; create one first (POST …/network).', { state: 'no-network' });
      const code = newCode();
      const now = new Date();
      const expiresAt = new Date(now.getTime() + (dto.expiresInHours ?? JOIN_CODE_DEFAULT_HOURS) * 3_600_000);
      await manager.insert(NetworkJoinCode, { id: randomUUID(), networkId: member.networkId, codeHash: hashCode(code), createdByCircleId: circleId, createdBy: userId, createdAt: now, expiresAt });
      return { code, expiresAt: expiresAt.toISOString() };
    });
  }

  /** Uses a join code: it is marked used by this circle in the same transaction as the circle joins. */
  async join(userId: string, circleId: string, code: string): Promise<NetworkResponse> {
    return this.tx.run(async (manager) => {
      await this.access.require(circleId, userId);
      await this.requireOutside(circleId);
      const hash = hashCode(code);
      const [rows]: [{ network_id: string }[], number] = await manager.query(
        `UPDATE network_join_codes SET used_at = now(), used_by_circle_id = $2
          WHERE code_hash = $1 AND used_at IS NULL AND expires_at > now()
          RETURNING network_id`,
        [hash, circleId],
      );
      if (rows.length === 0) {
        const known = await manager.findOneBy(NetworkJoinCode, { codeHash: hash });
        if (!known) throw DomainError.notFound('join code');
        throw new DomainError('invalid-state', known.usedAt ? 'This join code has already been used; ask for a new one.' : 'This join code has expired; ask for a new one.', { state: known.usedAt ? 'used' : 'expired' });
      }
      await manager.insert(NetworkMember, { circleId, networkId: rows[0].network_id, joinedBy: userId });
      return this.describe(circleId);
    });
  }

  /**
   * Leaving takes effect at once: the circle's digests are no longer compared with the network
   * (matching reads membership), and "not the same person" marks between it and the network's
   * circles are deleted. A network left empty is deleted with its codes.
   */
  async leave(userId: string, circleId: string): Promise<void> {
    await this.tx.run(async (manager) => {
      await this.access.require(circleId, userId);
      const member = await manager.findOneBy(NetworkMember, { circleId });
      if (!member) throw DomainError.notFound('network');
      await manager.delete(NetworkMember, { circleId });
      await manager.query(`DELETE FROM duplicate_dismissals WHERE (circle_id = $1 OR other_circle_id = $1) AND circle_id <> other_circle_id`, [circleId]);
      await manager.query(`DELETE FROM networks n WHERE n.id = $1 AND NOT EXISTS (SELECT 1 FROM network_members m WHERE m.network_id = n.id)`, [member.networkId]);
    });
  }

  private async requireOutside(circleId: string): Promise<void> {
    if (await this.tx.manager.existsBy(NetworkMember, { circleId })) {
      throw new DomainError('conflict', 'This circle is already in a network; leave it first (a circle is in at most one network).');
    }
  }

  private async describe(circleId: string): Promise<NetworkResponse> {
    const rows: { network_id: string; joined_at: Date; members: string }[] = await this.tx.manager.query(
      `SELECT m.network_id, m.joined_at, (SELECT count(*) FROM network_members o WHERE o.network_id = m.network_id) AS members
         FROM network_members m WHERE m.circle_id = $1`,
      [circleId],
    );
    if (rows.length === 0) return { inNetwork: false };
    return { inNetwork: true, networkId: rows[0].network_id, memberCircles: Number(rows[0].members), joinedAt: rows[0].joined_at.toISOString() };
  }
}
