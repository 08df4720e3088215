import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { User } from '../auth/user.entity.js';
import { Circle } from './circle.entity.js';
import type { CircleRole } from './circle-role.js';

@Entity({ name: 'memberships' })
@Check('ck_memberships_role', `role IN ('organizer', 'treasurer', 'donor', 'member')`)
@Index('idx_memberships_user', ['userId'])
export class Membership {
  @PrimaryColumn({ name: 'circle_id', type: 'uuid' })
  circleId: string;

  @PrimaryColumn({ name: 'user_id', type: 'uuid' })
  userId: string;

  @Column({ type: 'varchar', length: 16 })
  role: CircleRole;

  // Millisecond precision: the value round-trips through JS Dates in page cursors.
  @CreateDateColumn({ name: 'joined_at', type: 'timestamptz', precision: 3 })
  joinedAt: Date;

  @ManyToOne(() => Circle, { onDelete: 'CASCADE', nullable: false })
  @JoinColumn({ name: 'circle_id', foreignKeyConstraintName: 'fk_memberships_circle' })
  circle?: Circle;

  @ManyToOne(() => User, { onDelete: 'CASCADE', nullable: false })
  @JoinColumn({ name: 'user_id', foreignKeyConstraintName: 'fk_memberships_user' })
  user?: User;
}
