import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { CreatedAt, MinorUnits, Timestamp, UuidPk } from '../../shared/database/columns';
import type { BidStatus } from './bid-status';

@Entity('bids')
@Index('bids_brief_studio_key', ['briefId', 'studioId'], { unique: true })
// "Exactly one awarded bid per brief", also under concurrent award requests.
@Index('bids_one_awarded_per_brief', ['briefId'], { unique: true, where: `status = 'awarded'` })
@Index('bids_studio_idx', ['studioId'])
@Check(
  'bids_status_check',
  `status IN ('draft', 'submitted', 'withdrawn', 'shortlisted', 'rejected', 'awarded')`,
)
@Check('bids_price_check', `price_amount >= 0`)
@Check('bids_receipt_check', `status <> 'submitted' OR (commitment IS NOT NULL AND submitted_at IS NOT NULL)`)
export class Bid {
  @UuidPk('bids')
  id: string;

  @Column({ name: 'brief_id', type: 'uuid' })
  briefId: string;

  @ManyToOne('Brief', { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'brief_id', foreignKeyConstraintName: 'bids_brief_fk' })
  private readonly brief?: unknown;

  @Column({ name: 'studio_id', type: 'uuid' })
  studioId: string;

  @ManyToOne('Organisation', { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'studio_id', foreignKeyConstraintName: 'bids_studio_fk' })
  private readonly studio?: unknown;

  @Column({ type: 'text', default: 'draft' })
  status: BidStatus;

  @Column({ type: 'int', default: 1 })
  version: number;

  @MinorUnits('price_amount')
  priceAmount: string;

  @Column({ type: 'char', length: 3 })
  currency: string;

  /** The bid content as submitted: breakdown, milestones, creative approach, team, schedule. */
  @Column({ type: 'jsonb' })
  content: unknown;

  @Column({ name: 'over_budget', type: 'boolean', default: false })
  overBudget: boolean;

  @Column({ type: 'text', nullable: true })
  commitment: string | null;

  @Column({ type: 'text', nullable: true })
  nonce: string | null;

  @Timestamp('submitted_at', { nullable: true })
  submittedAt: Date | null;

  @Column({ name: 'decision_note', type: 'text', nullable: true })
  decisionNote: string | null;

  @CreatedAt()
  createdAt: Date;

  @Timestamp('updated_at', { default: () => 'now()' })
  updatedAt: Date;
}

/** Every version of a bid, with the database time of the change (never updated). */
@Entity('bid_versions')
@Index('bid_versions_bid_version_key', ['bidId', 'version'], { unique: true })
export class BidVersion {
  @UuidPk('bid_versions')
  id: string;

  @Column({ name: 'bid_id', type: 'uuid' })
  bidId: string;

  @ManyToOne(() => Bid, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'bid_id', foreignKeyConstraintName: 'bid_versions_bid_fk' })
  private readonly bid?: Bid;

  @Column({ type: 'int' })
  version: number;

  @Column({ type: 'text' })
  status: string;

  @MinorUnits('price_amount')
  priceAmount: string;

  @Column({ type: 'jsonb' })
  content: unknown;

  @Column({ type: 'text', nullable: true })
  commitment: string | null;

  @Column({ name: 'changed_by', type: 'uuid', nullable: true })
  changedBy: string | null;

  @CreatedAt()
  createdAt: Date;
}

/** The single record, at the deadline, of every submitted bid's commitment. */
@Entity('bid_openings')
export class BidOpening {
  @PrimaryColumn({ name: 'brief_id', type: 'uuid', primaryKeyConstraintName: 'bid_openings_pkey' })
  briefId: string;

  @ManyToOne('Brief', { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'brief_id', foreignKeyConstraintName: 'bid_openings_brief_fk' })
  private readonly brief?: unknown;

  @Timestamp('opened_at')
  openedAt: Date;

  @Column({ type: 'jsonb' })
  commitments: unknown;

  @CreatedAt()
  createdAt: Date;
}

@Entity('bid_scores')
@Check('bid_scores_score_check', `score BETWEEN 0 AND 10`)
export class BidScore {
  @PrimaryColumn({ name: 'bid_id', type: 'uuid', primaryKeyConstraintName: 'bid_scores_pkey' })
  bidId: string;

  @PrimaryColumn({ name: 'evaluator_id', type: 'uuid', primaryKeyConstraintName: 'bid_scores_pkey' })
  evaluatorId: string;

  @PrimaryColumn({ type: 'text', primaryKeyConstraintName: 'bid_scores_pkey' })
  criterion: string;

  @ManyToOne(() => Bid, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'bid_id', foreignKeyConstraintName: 'bid_scores_bid_fk' })
  private readonly bid?: Bid;

  @ManyToOne('User', { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'evaluator_id', foreignKeyConstraintName: 'bid_scores_evaluator_fk' })
  private readonly evaluator?: unknown;

  @Column({ type: 'smallint' })
  score: number;

  @Timestamp('updated_at', { default: () => 'now()' })
  updatedAt: Date;
}
