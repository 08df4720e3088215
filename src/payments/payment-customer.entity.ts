import { Check, Column, CreateDateColumn, Entity, ForeignKey, Index, PrimaryColumn } from 'typeorm';
import { providerNameCheck } from './payment-providers.js';

/**
 * The provider customer of one donor in one circle. The customer holds only the donor's
 * email at the provider; here only the opaque provider id is kept (invariant 9).
 */
@Entity({ name: 'payment_customers' })
@Check('ck_payment_customers_provider', providerNameCheck())
@Index('uq_payment_customers_ref', ['provider', 'customerRef'], { unique: true })
export class PaymentCustomer {
  @PrimaryColumn({ name: 'circle_id', type: 'uuid', primaryKeyConstraintName: 'pk_payment_customers' })
  @ForeignKey('circles', { name: 'fk_payment_customers_circle', onDelete: 'CASCADE' })
  circleId: string;

  @PrimaryColumn({ name: 'user_id', type: 'uuid', primaryKeyConstraintName: 'pk_payment_customers' })
  @ForeignKey('users', { name: 'fk_payment_customers_user', onDelete: 'CASCADE' })
  userId: string;

  @PrimaryColumn({ type: 'varchar', length: 16, primaryKeyConstraintName: 'pk_payment_customers' })
  provider: string;

  @Column({ name: 'customer_ref', type: 'varchar', length: 255 })
  customerRef: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
