import { Check, Column, Entity, Index, JoinColumn, ManyToOne } from 'typeorm';
import { CreatedAt, MinorUnits, Timestamp, UuidPk } from '../../shared/database/columns';

@Entity('contracts')
@Index('contracts_brief_key', ['briefId'], { unique: true })
@Index('contracts_bid_key', ['bidId'], { unique: true })
@Index('contracts_broadcaster_idx', ['broadcasterId', 'createdAt'])
@Index('contracts_studio_idx', ['studioId', 'createdAt'])
@Check('contracts_status_check', `status IN ('draft', 'active', 'completed', 'terminated')`)
@Check('contracts_value_check', `value_amount >= 0`)
export class Contract {
  @UuidPk('contracts')
  id: string;

  @Column({ name: 'brief_id', type: 'uuid' })
  briefId: string;

  @ManyToOne('Brief', { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'brief_id', foreignKeyConstraintName: 'contracts_brief_fk' })
  private readonly brief?: unknown;

  @Column({ name: 'bid_id', type: 'uuid' })
  bidId: string;

  @ManyToOne('Bid', { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'bid_id', foreignKeyConstraintName: 'contracts_bid_fk' })
  private readonly bid?: unknown;

  @Column({ name: 'broadcaster_id', type: 'uuid' })
  broadcasterId: string;

  @ManyToOne('Organisation', { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'broadcaster_id', foreignKeyConstraintName: 'contracts_broadcaster_fk' })
  private readonly broadcaster?: unknown;

  @Column({ name: 'studio_id', type: 'uuid' })
  studioId: string;

  @ManyToOne('Organisation', { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'studio_id', foreignKeyConstraintName: 'contracts_studio_fk' })
  private readonly studio?: unknown;

  @Column({ type: 'text', default: 'draft' })
  status: string;

  @MinorUnits('value_amount')
  valueAmount: string;

  @Column({ type: 'char', length: 3 })
  currency: string;

  @Column({ type: 'jsonb' })
  rights: unknown;

  @Column({ name: 'delivery_spec', type: 'jsonb' })
  deliverySpec: unknown;

  @CreatedAt()
  createdAt: Date;

  @Timestamp('updated_at', { default: () => 'now()' })
  updatedAt: Date;
}

@Entity('milestones')
@Index('milestones_contract_sequence_key', ['contractId', 'sequence'], { unique: true })
@Check(
  'milestones_status_check',
  `status IN ('pending', 'submitted', 'changes_requested', 'accepted', 'invoiced', 'paid')`,
)
@Check('milestones_amount_check', `amount >= 0`)
export class Milestone {
  @UuidPk('milestones')
  id: string;

  @Column({ name: 'contract_id', type: 'uuid' })
  contractId: string;

  @ManyToOne(() => Contract, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'contract_id', foreignKeyConstraintName: 'milestones_contract_fk' })
  private readonly contract?: Contract;

  @Column({ type: 'int' })
  sequence: number;

  @Column({ type: 'text' })
  title: string;

  @MinorUnits('amount')
  amount: string;

  @Timestamp('due_at')
  dueAt: Date;

  @Column({ type: 'text', default: 'pending' })
  status: string;

  @CreatedAt()
  createdAt: Date;
}
