import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn, Unique } from 'typeorm';
import { CreatedAt, Timestamp, UuidPk } from '../../shared/database/columns';
import type { IdeaStatus } from './idea-status';

// A viewer's pitch to an idea call. The text and the receipt (sha256, signature, key id, database
// time) live here; everything personal (name, e-mail, IP hash, consent) lives in
// idea_submitters, so erasure deletes one row and leaves the receipt verifiable.
@Entity('ideas')
@Check(
  'ideas_status_check',
  `status IN ('pending', 'approved', 'rejected', 'shortlisted', 'converted', 'declined', 'hidden', 'withdrawn')`,
)
@Check('ideas_sha256_check', `sha256 ~ '^[0-9a-f]{64}$'`)
@Check('ideas_votes_check', 'votes >= 0')
@Unique('ideas_converted_brief_key', ['convertedBriefId'])
// The moderation list (a call's ideas, newest first, by status) and the public list.
@Index('ideas_call_received_idx', ['callId', 'receivedAt', 'id'])
@Index('ideas_call_status_received_idx', ['callId', 'status', 'receivedAt', 'id'])
export class Idea {
  @UuidPk('ideas')
  id: string;

  @Column({ name: 'call_id', type: 'uuid' })
  callId: string;

  @ManyToOne('IdeaCall', { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'call_id', foreignKeyConstraintName: 'ideas_call_fk' })
  private readonly call?: unknown;

  @Column({ type: 'text', default: 'pending' })
  status: IdeaStatus;

  @Column({ type: 'text' })
  title: string;

  @Column({ type: 'text' })
  logline: string;

  @Column({ type: 'text' })
  description: string;

  /** Whether the submitter agreed to be named (the name itself is in idea_submitters). */
  @Column({ type: 'boolean', default: false })
  credit: boolean;

  /** Hex SHA-256 of the receipt's canonical JSON. */
  @Column({ type: 'text' })
  sha256: string;

  /** Base64 Ed25519 signature of the receipt. */
  @Column({ type: 'text' })
  signature: string;

  @Column({ name: 'key_id', type: 'text' })
  keyId: string;

  /** Database time of receipt, truncated to milliseconds (the signed ISO string round-trips). */
  @Timestamp('received_at')
  receivedAt: Date;

  /** Confirmed votes (one per idea_votes row, kept in step in the same statement). */
  @Column({ type: 'int', default: 0 })
  votes: number;

  @Column({ name: 'decision_reason', type: 'text', nullable: true })
  decisionReason: string | null;

  @Column({ name: 'answer_text', type: 'text', nullable: true })
  answerText: string | null;

  @Timestamp('answered_at', { nullable: true })
  answeredAt: Date | null;

  /**
   * When a commissioner first decided on the pending idea (approved or rejected): with
   * answered_at, the end of the wait the broadcaster's responsiveness figures measure.
   */
  @Timestamp('decided_at', { nullable: true })
  decidedAt: Date | null;

  @Column({ name: 'converted_brief_id', type: 'uuid', nullable: true })
  convertedBriefId: string | null;

  @Timestamp('erased_at', { nullable: true })
  erasedAt: Date | null;

  @CreatedAt()
  createdAt: Date;

  @Timestamp('updated_at', { default: () => 'now()' })
  updatedAt: Date;
}

/**
 * The personal data of a submission, apart from the idea: name, e-mail, the HMAC of the client
 * address, the consent record, and the hash of the withdraw/erase token sent by e-mail. Never
 * shown by any public route; deleted whole on erasure.
 */
@Entity('idea_submitters')
@Unique('idea_submitters_manage_token_key', ['manageTokenHash'])
export class IdeaSubmitter {
  @PrimaryColumn({ name: 'idea_id', type: 'uuid', primaryKeyConstraintName: 'idea_submitters_pkey' })
  ideaId: string;

  @ManyToOne('Idea', { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'idea_id', foreignKeyConstraintName: 'idea_submitters_idea_fk' })
  private readonly idea?: unknown;

  @Column({ type: 'text' })
  name: string;

  @Column({ type: 'text' })
  email: string;

  @Column({ name: 'ip_hash', type: 'text' })
  ipHash: string;

  @Column({ name: 'consent_version', type: 'text' })
  consentVersion: string;

  @Timestamp('consented_at', { default: () => 'now()' })
  consentedAt: Date;

  /** SHA-256 (hex) of the token in the receipt e-mail's withdraw/erase link; set when it is sent. */
  @Column({ name: 'manage_token_hash', type: 'text', nullable: true })
  manageTokenHash: string | null;
}

/** Form tokens already used (a form token is single use); purged past a token's lifetime. */
@Entity('idea_form_tokens_used')
export class IdeaFormTokenUsed {
  @PrimaryColumn({ type: 'text', primaryKeyConstraintName: 'idea_form_tokens_used_pkey' })
  nonce: string;

  @Timestamp('used_at', { default: () => 'now()' })
  usedAt: Date;
}

/**
 * A vote waiting for its e-mailed confirmation. The address is kept only to send that e-mail and
 * deleted once confirmed or expired; the HMAC of the normalised address decides uniqueness.
 */
@Entity('idea_vote_requests')
@Unique('idea_vote_requests_token_key', ['tokenHash'])
@Index('idea_vote_requests_expires_idx', ['expiresAt'])
export class IdeaVoteRequest {
  @UuidPk('idea_vote_requests')
  id: string;

  @Column({ name: 'idea_id', type: 'uuid' })
  ideaId: string;

  @ManyToOne('Idea', { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'idea_id', foreignKeyConstraintName: 'idea_vote_requests_idea_fk' })
  private readonly idea?: unknown;

  @Column({ type: 'text', nullable: true })
  email: string | null;

  @Column({ name: 'email_hmac', type: 'text' })
  emailHmac: string;

  /** SHA-256 (hex) of the confirmation token, set when the e-mail is sent. */
  @Column({ name: 'token_hash', type: 'text', nullable: true })
  tokenHash: string | null;

  @Timestamp('expires_at')
  expiresAt: Date;

  @Timestamp('confirmed_at', { nullable: true })
  confirmedAt: Date | null;

  @CreatedAt()
  createdAt: Date;
}

/** A confirmed vote: one per idea and HMAC of the normalised e-mail (the primary key says so). */
@Entity('idea_votes')
export class IdeaVote {
  @PrimaryColumn({ name: 'idea_id', type: 'uuid', primaryKeyConstraintName: 'idea_votes_pkey' })
  ideaId: string;

  @PrimaryColumn({ name: 'email_hmac', type: 'text', primaryKeyConstraintName: 'idea_votes_pkey' })
  emailHmac: string;

  @ManyToOne('Idea', { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'idea_id', foreignKeyConstraintName: 'idea_votes_idea_fk' })
  private readonly idea?: unknown;

  @Timestamp('confirmed_at', { default: () => 'now()' })
  confirmedAt: Date;
}

/** A public report: one per idea and HMAC of the reporter's normalised e-mail. */
@Entity('idea_reports')
@Check(
  'idea_reports_reason_check',
  `reason IN ('spam', 'offensive', 'does_not_belong', 'rights_infringement')`,
)
export class IdeaReport {
  @PrimaryColumn({ name: 'idea_id', type: 'uuid', primaryKeyConstraintName: 'idea_reports_pkey' })
  ideaId: string;

  @PrimaryColumn({ name: 'reporter_hmac', type: 'text', primaryKeyConstraintName: 'idea_reports_pkey' })
  reporterHmac: string;

  @ManyToOne('Idea', { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'idea_id', foreignKeyConstraintName: 'idea_reports_idea_fk' })
  private readonly idea?: unknown;

  @Column({ type: 'text' })
  reason: string;

  @CreatedAt()
  createdAt: Date;

  /** Set when a commissioner reviews the idea (unhide): reviewed reports no longer hide it. */
  @Timestamp('reviewed_at', { nullable: true })
  reviewedAt: Date | null;
}

/**
 * "Reads like" pairs (pg_trgm similarity ≥ 0.25): idea `ideaId` reads like approved idea
 * `similarId`. Trigram similarity of long descriptions costs about half a millisecond a pair, so
 * pairs are computed when they can change (a submission against the approved ideas, an approval
 * against the pending ones) and the moderation list only reads them.
 */
@Entity('idea_similarities')
@Index('idea_similarities_similar_idx', ['similarId'])
export class IdeaSimilarity {
  @PrimaryColumn({ name: 'idea_id', type: 'uuid', primaryKeyConstraintName: 'idea_similarities_pkey' })
  ideaId: string;

  @PrimaryColumn({ name: 'similar_id', type: 'uuid', primaryKeyConstraintName: 'idea_similarities_pkey' })
  similarId: string;

  @ManyToOne('Idea', { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'idea_id', foreignKeyConstraintName: 'idea_similarities_idea_fk' })
  private readonly idea?: unknown;

  @ManyToOne('Idea', { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'similar_id', foreignKeyConstraintName: 'idea_similarities_similar_fk' })
  private readonly similar?: unknown;

  @Column({ type: 'real' })
  similarity: number;
}
