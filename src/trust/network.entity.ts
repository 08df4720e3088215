import { CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

/**
 * A network of circles on this server that compare duplicate digests (docs/trust.md). It
 * holds nothing but its id: its members are network_members rows, and it is deleted when its
 * last member leaves.
 */
@Entity({ name: 'networks' })
export class Network {
  @PrimaryColumn({ type: 'uuid', primaryKeyConstraintName: 'pk_networks' })
  id: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
