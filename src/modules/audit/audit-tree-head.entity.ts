import { Column, Entity, PrimaryColumn } from 'typeorm';
import { Timestamp } from '../../shared/database/columns';

/**
 * Signed tree heads, one per size the sequencer reached (append-only by convention: written by
 * AuditSequencer only). signature = Ed25519 over
 * "efir-tree-head.v1\\n" + tree_size + "\\n" + root_hash + "\\n" + issued_at (ISO, microseconds).
 */
@Entity('audit_tree_heads')
export class AuditTreeHead {
  @PrimaryColumn({ name: 'tree_size', type: 'bigint', primaryKeyConstraintName: 'audit_tree_heads_pkey' })
  treeSize: string;

  @Column({ name: 'root_hash', type: 'text' })
  rootHash: string;

  @Timestamp('issued_at')
  issuedAt: Date;

  @Column({ type: 'text' })
  signature: string;

  @Column({ name: 'key_id', type: 'text' })
  keyId: string;
}
