import { Check, Column, Entity, Index, JoinColumn, ManyToOne } from 'typeorm';
import { CreatedAt, MinorUnits, Timestamp, UuidPk } from '../../shared/database/columns';

@Entity('contracts')
@Index('contracts_brief_key', ['briefId'], { unique: true })
@Index('contracts_bid_key', ['bidId'], { unique: true })
@Index('contracts_broadcaster_idx', ['broadcasterId', 'createdAt'])
@Index('contracts_studio_idx', ['studioId', 'createdAt'])
// The operator's list of every contract, newest first.
@Index('contracts_created_idx', ['createdAt', 'id'])
@Check('contracts_status_check', `status IN ('draft', 'active', 'completed', 'terminated')`)
@Check('contracts_value_check', `value_amount >= 0`)
@Check('contracts_audio_languages_check', `jsonb_typeof(audio_languages) = 'array'`)
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

  /**
   * The spoken audio languages the parties confirm, `[{ language, minutes }]` per episode: the
   * brief's at award, editable by the broadcaster while the contract is a draft (signed terms).
   */
  @Column({ name: 'audio_languages', type: 'jsonb', default: () => `'[]'` })
  audioLanguages: unknown;

  @Timestamp('activated_at', { nullable: true })
  activatedAt: Date | null;

  @Timestamp('terminated_at', { nullable: true })
  terminatedAt: Date | null;

  @Column({ name: 'termination_reason', type: 'text', nullable: true })
  terminationReason: string | null;

  @CreatedAt()
  createdAt: Date;

  @Timestamp('updated_at', { default: () => 'now()' })
  updatedAt: Date;
}

/** A party's signature on one version of the terms; cleared (not deleted) when terms change. */
@Entity('contract_signatures')
@Index('contract_signatures_one_live_per_party', ['contractId', 'party'], {
  unique: true,
  where: 'cleared_at IS NULL',
})
@Check('contract_signatures_party_check', `party IN ('broadcaster', 'studio')`)
export class ContractSignature {
  @UuidPk('contract_signatures')
  id: string;

  @Column({ name: 'contract_id', type: 'uuid' })
  contractId: string;

  @ManyToOne(() => Contract, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'contract_id', foreignKeyConstraintName: 'contract_signatures_contract_fk' })
  private readonly contract?: Contract;

  @Column({ type: 'text' })
  party: 'broadcaster' | 'studio';

  @Column({ name: 'user_id', type: 'uuid' })
  userId: string;

  @ManyToOne('User', { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'user_id', foreignKeyConstraintName: 'contract_signatures_user_fk' })
  private readonly user?: unknown;

  @Column({ name: 'terms_hash', type: 'text' })
  termsHash: string;

  @Timestamp('signed_at', { default: () => 'now()' })
  signedAt: Date;

  @Timestamp('cleared_at', { nullable: true })
  clearedAt: Date | null;
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

  @Timestamp('submitted_at', { nullable: true })
  submittedAt: Date | null;

  @Timestamp('reviewed_at', { nullable: true })
  reviewedAt: Date | null;

  @Column({ name: 'review_notes', type: 'text', nullable: true })
  reviewNotes: string | null;

  @CreatedAt()
  createdAt: Date;
}
