import { Entity, PrimaryColumn } from 'typeorm';
import { Timestamp } from '../database/columns';

/**
 * Rate limits shared by every API instance (GCRA: one "theoretical arrival time" per bucket and
 * key, moved by one UPSERT). Keys are HMACs, never raw addresses.
 */
@Entity('rate_limits')
export class RateLimit {
  @PrimaryColumn({ type: 'text', primaryKeyConstraintName: 'rate_limits_pkey' })
  bucket: string;

  @PrimaryColumn({ type: 'text', primaryKeyConstraintName: 'rate_limits_pkey' })
  key: string;

  @Timestamp('tat')
  tat: Date;
}
