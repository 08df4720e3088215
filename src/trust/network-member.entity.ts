import { Column, CreateDateColumn, Entity, ForeignKey, Index, PrimaryColumn } from 'typeorm';
import { Network } from './network.entity.js';

/**
 * A circle's membership of a network. The primary key is the circle: a circle is in at most
 * one network (docs/trust.md, invariant held by the database). Deleting the row is leaving.
 */
@Entity({ name: 'network_members' })
@ForeignKey(() => Network, ['networkId'], ['id'], { name: 'fk_network_members_network', onDelete: 'CASCADE' })
@Index('idx_network_members_network', ['networkId'])
export class NetworkMember {
  @PrimaryColumn({ name: 'circle_id', type: 'uuid', primaryKeyConstraintName: 'pk_network_members' })
  @ForeignKey('circles', { name: 'fk_network_members_circle', onDelete: 'CASCADE' })
  circleId: string;

  @Column({ name: 'network_id', type: 'uuid' })
  networkId: string;

  /** The organizer who created or joined the network for the circle. */
  @Column({ name: 'joined_by', type: 'uuid' })
  joinedBy: string;

  @CreateDateColumn({ name: 'joined_at', type: 'timestamptz' })
  joinedAt: Date;
}
