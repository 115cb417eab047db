import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn, Unique } from 'typeorm';
import { CreatedAt, MinorUnits, Timestamp, UuidPk } from '../../shared/database/columns';
import type { BriefStatus } from './brief-status';

// While `draft` most fields may be empty; publishing checks completeness. A published brief is
// `closed` from the instant bids_close_at passes (computed in SQL by the database clock); the
// stored status catches up when the close job or the next write records it.
@Entity('briefs')
@Check('briefs_status_check', `status IN ('draft', 'published', 'closed', 'awarded', 'cancelled')`)
@Check('briefs_visibility_check', `visibility IN ('open', 'invited')`)
@Check('briefs_budget_check', `budget_min IS NULL OR budget_max IS NULL OR budget_min <= budget_max`)
@Check(
  'briefs_published_complete_check',
  `status = 'draft' OR (status = 'cancelled' AND published_at IS NULL)
   OR (published_at IS NOT NULL AND bids_close_at IS NOT NULL AND questions_close_at < bids_close_at)`,
)
// The spoken audio languages fit in an episode (audio_languages_minutes: migration AudioLanguages).
@Check(
  'briefs_audio_languages_check',
  `jsonb_typeof(audio_languages) = 'array'
   AND (episode_minutes IS NULL OR audio_languages_minutes(audio_languages) <= episode_minutes)`,
)
// Exactly one brief per converted idea, also under concurrent conversions.
@Unique('briefs_origin_idea_key', ['originIdeaId'])
@Index('briefs_broadcaster_created_idx', ['broadcasterId', 'createdAt', 'id'])
@Index('briefs_status_genre_created_idx', ['status', 'genre', 'createdAt', 'id'])
// Studios' lists: every published brief, newest first (the filters apply on top of it).
@Index('briefs_published_created_idx', ['createdAt', 'id'], { where: 'published_at IS NOT NULL' })
export class Brief {
  @UuidPk('briefs')
  id: string;

  @Column({ name: 'broadcaster_id', type: 'uuid' })
  broadcasterId: string;

  @ManyToOne('Organisation', { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'broadcaster_id', foreignKeyConstraintName: 'briefs_broadcaster_fk' })
  private readonly broadcaster?: unknown;

  @Column({ name: 'created_by', type: 'uuid' })
  createdBy: string;

  @Column({ type: 'text', default: 'draft' })
  status: BriefStatus;

  @Column({ type: 'text' })
  title: string;

  @Column({ type: 'text', nullable: true })
  synopsis: string | null;

  @Column({ type: 'text', nullable: true })
  genre: string | null;

  @Column({ type: 'text', nullable: true })
  format: string | null;

  @Column({ type: 'int', nullable: true })
  episodes: number | null;

  @Column({ name: 'episode_minutes', type: 'int', nullable: true })
  episodeMinutes: number | null;

  @Column({ type: 'text', array: true, default: () => `'{}'` })
  languages: string[];

  /**
   * The spoken audio languages, `[{ language, minutes }]`: minutes of each episode spoken in each
   * ISO 639-1 language (subtitles are not a language). The local-content report counts `kk`.
   */
  @Column({ name: 'audio_languages', type: 'jsonb', default: () => `'[]'` })
  audioLanguages: unknown;

  @MinorUnits('budget_min', { nullable: true })
  budgetMin: string | null;

  @MinorUnits('budget_max', { nullable: true })
  budgetMax: string | null;

  @Column({ type: 'char', length: 3, default: 'KZT' })
  currency: string;

  @Column({ type: 'jsonb', nullable: true })
  rights: unknown;

  @Column({ name: 'domestic_only', type: 'boolean', default: false })
  domesticOnly: boolean;

  @Column({ name: 'delivery_spec', type: 'jsonb', nullable: true })
  deliverySpec: unknown;

  @Timestamp('questions_close_at', { nullable: true })
  questionsCloseAt: Date | null;

  @Timestamp('bids_close_at', { nullable: true })
  bidsCloseAt: Date | null;

  @Timestamp('delivery_due_at', { nullable: true })
  deliveryDueAt: Date | null;

  @Column({ type: 'jsonb', default: () => `'[]'` })
  criteria: unknown;

  @Column({ type: 'text', default: 'open' })
  visibility: 'open' | 'invited';

  /** The viewer's idea this brief was converted from (ideas module); one brief per idea. */
  @Column({ name: 'origin_idea_id', type: 'uuid', nullable: true })
  originIdeaId: string | null;

  /** The originator's name as credited (null: not credited, or erased on their request). */
  @Column({ name: 'origin_credit_name', type: 'text', nullable: true })
  originCreditName: string | null;

  @Timestamp('published_at', { nullable: true })
  publishedAt: Date | null;

  @Timestamp('closed_at', { nullable: true })
  closedAt: Date | null;

  @Timestamp('cancelled_at', { nullable: true })
  cancelledAt: Date | null;

  @Column({ name: 'cancel_reason', type: 'text', nullable: true })
  cancelReason: string | null;

  /** Full-text search over title and synopsis, `simple` configuration (Kazakh and Russian alike). */
  // GIN index created by hand in the migration (TypeORM cannot declare the index method).
  @Index('briefs_search_idx', { synchronize: false })
  @Column({
    type: 'tsvector',
    generatedType: 'STORED',
    asExpression: `to_tsvector('simple', coalesce(title, '') || ' ' || coalesce(synopsis, ''))`,
    select: false,
    insert: false,
    update: false,
  })
  search: string;

  @CreatedAt()
  createdAt: Date;

  @Timestamp('updated_at', { default: () => 'now()' })
  updatedAt: Date;
}

@Entity('brief_amendments')
@Index('brief_amendments_brief_idx', ['briefId', 'createdAt'])
export class BriefAmendment {
  @UuidPk('brief_amendments')
  id: string;

  @Column({ name: 'brief_id', type: 'uuid' })
  briefId: string;

  @ManyToOne(() => Brief, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'brief_id', foreignKeyConstraintName: 'brief_amendments_brief_fk' })
  private readonly brief?: Brief;

  @Column({ type: 'jsonb' })
  changes: unknown;

  @Column({ type: 'text' })
  reason: string;

  @Column({ name: 'created_by', type: 'uuid' })
  createdBy: string;

  @CreatedAt()
  createdAt: Date;
}

@Entity('brief_invitations')
export class BriefInvitation {
  @PrimaryColumn({ name: 'brief_id', type: 'uuid', primaryKeyConstraintName: 'brief_invitations_pkey' })
  briefId: string;

  @PrimaryColumn({ name: 'studio_id', type: 'uuid', primaryKeyConstraintName: 'brief_invitations_pkey' })
  studioId: string;

  @ManyToOne(() => Brief, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'brief_id', foreignKeyConstraintName: 'brief_invitations_brief_fk' })
  private readonly brief?: Brief;

  @ManyToOne('Organisation', { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'studio_id', foreignKeyConstraintName: 'brief_invitations_studio_fk' })
  private readonly studio?: unknown;

  @CreatedAt()
  createdAt: Date;
}

@Entity('questions')
@Index('questions_brief_idx', ['briefId', 'askedAt'])
export class Question {
  @UuidPk('questions')
  id: string;

  @Column({ name: 'brief_id', type: 'uuid' })
  briefId: string;

  @ManyToOne(() => Brief, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'brief_id', foreignKeyConstraintName: 'questions_brief_fk' })
  private readonly brief?: Brief;

  @Column({ name: 'studio_id', type: 'uuid' })
  studioId: string;

  @ManyToOne('Organisation', { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'studio_id', foreignKeyConstraintName: 'questions_studio_fk' })
  private readonly studio?: unknown;

  @Column({ name: 'asked_by', type: 'uuid' })
  askedBy: string;

  @Column({ type: 'text' })
  text: string;

  @Timestamp('asked_at', { default: () => 'now()' })
  askedAt: Date;

  @Column({ name: 'answer_text', type: 'text', nullable: true })
  answerText: string | null;

  @Timestamp('answered_at', { nullable: true })
  answeredAt: Date | null;

  @Column({ name: 'answered_by', type: 'uuid', nullable: true })
  answeredBy: string | null;
}
