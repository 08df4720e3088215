import { Check, Column, CreateDateColumn, Entity, PrimaryColumn, Unique } from 'typeorm';

@Entity({ name: 'users' })
@Unique('uq_users_email', ['email'])
// Emails are compared case-insensitively; storing them lower-cased lets a plain unique index enforce that.
@Check('ck_users_email_lower_case', `"email" = lower("email")`)
export class User {
  @PrimaryColumn({ type: 'uuid', primaryKeyConstraintName: 'pk_users' })
  id: string;

  @Column({ type: 'varchar', length: 254 })
  email: string;

  /** argon2id PHC string; the password itself is never stored. */
  @Column({ name: 'password_hash', type: 'text' })
  passwordHash: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  /** Set when the account was deleted: the email was replaced and the password can no longer match. */
  @Column({ name: 'deleted_at', type: 'timestamptz', nullable: true })
  deletedAt: Date | null;
}
