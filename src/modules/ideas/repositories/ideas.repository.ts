import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { transitionOrThrow, type TransitionOptions } from '../../../shared/database/transition';
import { cursorTsSql } from '../../../shared/http/pagination';
import type { IdeaDto, PublicIdeaDto } from '../dto/idea.dto';
import { callEffectiveStatusSql } from '../idea-call-status';
import type { IdeaCallStatus } from '../idea-call-status';
import { ideaApprovedSql, ideaLifecycle, type IdeaStatus } from '../idea-status';

/**
 * An idea as read, with its call's broadcaster and effective status (database clock), the
 * credited name (only when the submitter agreed and was not erased) and its report count.
 */
export interface IdeaRow {
  id: string;
  call_id: string;
  broadcaster_id: string;
  call_title: string;
  call_status: IdeaCallStatus;
  call_languages: string[];
  voting_enabled: boolean;
  status: IdeaStatus;
  title: string;
  logline: string;
  description: string;
  credit: boolean;
  credit_name: string | null;
  sha256: string;
  signature: string;
  key_id: string;
  received_at: Date;
  votes: number;
  reports: number;
  decision_reason: string | null;
  answer_text: string | null;
  answered_at: Date | null;
  converted_brief_id: string | null;
  erased_at: Date | null;
  cursor_ts: string;
}

/** Every column of IdeaRow, from `ideas i JOIN idea_calls c` (IDEA_FROM). */
export const IDEA_COLUMNS = `i.id, i.call_id, c.broadcaster_id, c.title AS call_title,
  ${callEffectiveStatusSql('c')} AS call_status, c.languages AS call_languages, c.voting_enabled,
  i.status, i.title, i.logline, i.description, i.credit,
  CASE WHEN i.credit THEN (SELECT s.name FROM idea_submitters s WHERE s.idea_id = i.id) END AS credit_name,
  i.sha256, i.signature, i.key_id, i.received_at, i.votes,
  (SELECT count(*)::int FROM idea_reports r WHERE r.idea_id = i.id) AS reports,
  i.decision_reason, i.answer_text, i.answered_at, i.converted_brief_id, i.erased_at,
  ${cursorTsSql('i.received_at')} AS cursor_ts`;

export const IDEA_FROM = 'ideas i JOIN idea_calls c ON c.id = i.call_id';

export function toPublicIdeaDto(r: IdeaRow): PublicIdeaDto {
  return {
    id: r.id,
    callId: r.call_id,
    title: r.title,
    logline: r.logline,
    description: r.description,
    status: r.status,
    votes: r.votes,
    credit: r.credit && r.credit_name !== null ? { name: r.credit_name } : null,
    answer:
      r.answer_text !== null && r.answered_at !== null
        ? { text: r.answer_text, publishedAt: r.answered_at.toISOString() }
        : null,
    receivedAt: r.received_at.toISOString(),
    convertedBriefId: r.converted_brief_id,
  };
}

export function toIdeaDto(r: IdeaRow): IdeaDto {
  return { ...toPublicIdeaDto(r), reports: r.reports, decisionReason: r.decision_reason };
}

/** A call's approved idea that reads like another (pg_trgm). */
export interface SimilarIdeaRow {
  id: string;
  title: string;
  similarity: number;
}

/** Trigram similarity from which two ideas count as alike (issue 14). */
export const SIMILARITY_THRESHOLD = 0.25;

/** The SQL of ideas: reads, and the one write of `ideas.status`. */
@Injectable()
export class IdeasRepository {
  /** The idea if its call belongs to `broadcasterId`, optionally locked FOR UPDATE (the idea row). */
  async findForBroadcaster(
    em: EntityManager,
    broadcasterId: string,
    id: string,
    lock = false,
  ): Promise<IdeaRow | undefined> {
    const [row] = await em.query<IdeaRow[]>(
      `SELECT ${IDEA_COLUMNS} FROM ${IDEA_FROM}
        WHERE i.id = $1 AND c.broadcaster_id = $2 ${lock ? 'FOR UPDATE OF i' : ''}`,
      [id, broadcasterId],
    );
    return row;
  }

  /** The idea whatever its call, optionally locked FOR UPDATE (the idea row). */
  async find(em: EntityManager, id: string, lock = false): Promise<IdeaRow | undefined> {
    const [row] = await em.query<IdeaRow[]>(
      `SELECT ${IDEA_COLUMNS} FROM ${IDEA_FROM} WHERE i.id = $1 ${lock ? 'FOR UPDATE OF i' : ''}`,
      [id],
    );
    return row;
  }

  /**
   * The call's approved (approved, shortlisted or converted) ideas whose title, or logline +
   * description, has a trigram similarity of at least 0.25 with the given text; most alike first,
   * at most `limit`. `excludeId` leaves the idea itself out.
   */
  similar(
    em: EntityManager,
    callId: string,
    text: { title: string; logline: string; description: string },
    excludeId: string | null = null,
    limit = 5,
  ): Promise<SimilarIdeaRow[]> {
    return em.query<SimilarIdeaRow[]>(
      `SELECT id, title, round(score::numeric, 3)::float8 AS similarity FROM (
         SELECT i.id, i.title,
                greatest(similarity(i.title, $2), similarity(i.logline || ' ' || i.description, $3)) AS score
           FROM ideas i
          WHERE i.call_id = $1 AND ${ideaApprovedSql('i')} AND ($4::uuid IS NULL OR i.id <> $4)) s
        WHERE score >= $5
        ORDER BY score DESC, id LIMIT $6`,
      [callId, text.title, `${text.logline} ${text.description}`, excludeId, SIMILARITY_THRESHOLD, limit],
    );
  }

  /** Remembers that idea `ideaId` reads like each of `similar` (its submission's answer). */
  async rememberSimilar(em: EntityManager, ideaId: string, similar: SimilarIdeaRow[]): Promise<void> {
    if (!similar.length) return;
    await em.query(
      `INSERT INTO idea_similarities (idea_id, similar_id, similarity)
       SELECT $1, s.id, s.similarity FROM unnest($2::uuid[], $3::real[]) AS s(id, similarity)
       ON CONFLICT (idea_id, similar_id) DO UPDATE SET similarity = EXCLUDED.similarity`,
      [ideaId, similar.map((x) => x.id), similar.map((x) => x.similarity)],
    );
  }

  /**
   * Idea `approvedId` has just become approved: every pending idea of its call that reads like it
   * now has it as similar. One statement; its cost grows with the call's pending ideas (the
   * moderation queue), not with all of them.
   */
  async rememberSimilarToApproved(em: EntityManager, approvedId: string): Promise<void> {
    await em.query(
      `INSERT INTO idea_similarities (idea_id, similar_id, similarity)
       SELECT p.id, a.id, round(s.score::numeric, 3)
         FROM ideas a
         JOIN ideas p ON p.call_id = a.call_id AND p.status = 'pending' AND p.id <> a.id
        CROSS JOIN LATERAL (SELECT greatest(similarity(p.title, a.title),
                                            similarity(p.logline || ' ' || p.description,
                                                       a.logline || ' ' || a.description)) AS score) s
        WHERE a.id = $1 AND s.score >= $2
       ON CONFLICT (idea_id, similar_id) DO UPDATE SET similarity = EXCLUDED.similarity`,
      [approvedId, SIMILARITY_THRESHOLD],
    );
  }

  /**
   * The remembered similar ideas of each given idea (a page of the moderation list) that are still
   * approved (approved, shortlisted or converted), most alike first, at most `limit` each.
   */
  async similarForEach(em: EntityManager, ids: string[], limit = 5): Promise<Map<string, SimilarIdeaRow[]>> {
    const rows = await em.query<(SimilarIdeaRow & { for_id: string })[]>(
      `SELECT for_id, id, title, similarity FROM (
         SELECT s.idea_id AS for_id, i.id, i.title, s.similarity::float8 AS similarity,
                row_number() OVER (PARTITION BY s.idea_id ORDER BY s.similarity DESC, i.id) AS n
           FROM idea_similarities s JOIN ideas i ON i.id = s.similar_id
          WHERE s.idea_id = ANY($1::uuid[]) AND ${ideaApprovedSql('i')}) r
        WHERE n <= $2
        ORDER BY for_id, similarity DESC, id`,
      [ids, limit],
    );
    const byIdea = new Map<string, SimilarIdeaRow[]>(ids.map((id) => [id, []]));
    for (const { for_id, ...similar } of rows) byIdea.get(for_id)?.push(similar);
    return byIdea;
  }

  /**
   * The one write of `ideas.status`: moves idea `id` to `to` if the lifecycle allows it from its
   * stored status (IDEA_STATE_CONFLICT otherwise), setting updated_at and `options.set`.
   */
  async transition(
    em: EntityManager,
    id: string,
    to: IdeaStatus,
    options: TransitionOptions = {},
  ): Promise<void> {
    await transitionOrThrow(em, 'ideas', ideaLifecycle, id, to, {
      ...options,
      set: `updated_at = now()${options.set ? `, ${options.set}` : ''}`,
    });
  }
}
