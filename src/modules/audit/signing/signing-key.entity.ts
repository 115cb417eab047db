import { Check, Column, Entity, PrimaryColumn } from 'typeorm';
import { CreatedAt, Timestamp } from '../../../shared/database/columns';

/**
 * The public half of every Ed25519 key Efir has signed with, per use. Rotation adds a row and
 * stamps the previous one retired; old keys stay listed so old signatures stay verifiable.
 */
@Entity('signing_keys')
@Check('signing_keys_use_check', `use IN ('idea-receipt', 'audit-tree-head')`)
export class SigningKey {
  @PrimaryColumn({ name: 'key_id', type: 'text', primaryKeyConstraintName: 'signing_keys_pkey' })
  keyId: string;

  @PrimaryColumn({ type: 'text', primaryKeyConstraintName: 'signing_keys_pkey' })
  use: string;

  @Column({ type: 'text', default: 'Ed25519' })
  algorithm: string;

  /** The raw 32-byte public key. */
  @Column({ name: 'public_key', type: 'bytea' })
  publicKey: Buffer;

  @CreatedAt()
  createdAt: Date;

  @Timestamp('retired_at', { nullable: true })
  retiredAt: Date | null;
}
