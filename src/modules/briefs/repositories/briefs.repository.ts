import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { AuthUser } from '../../../shared/auth/auth-user';
import { transitionOrThrow, type TransitionOptions } from '../../../shared/database/transition';
import { cursorTsSql, type Keyset } from '../../../shared/http/pagination';
import { joinOrganisation } from '../../organisations/organisation-sql';
import { bidCountSql, biddingStudiosSql } from '../brief-listing.read-model';
import { searchMatchesSql, searchWalkSql, statusFilterSql } from '../brief-search';
import {
  bidsOpenSql,
  briefLifecycle,
  deadlinePassedSql,
  effectiveStatusSql,
  type BriefStatus,
} from '../brief-status';
import { briefVisibleSql, callerParams } from '../brief-visibility';
import type { BriefRow } from '../brief.mapper';
import type { AmendmentDto, AudioLanguageDto, ListBriefsQuery } from '../dto/brief.dto';

/** Columns of a brief row as BriefRow expects them, for a query over `briefs b`. */
export const BRIEF_COLUMNS = `b.id, b.broadcaster_id, bo.name AS broadcaster_name, ${effectiveStatusSql('b')} AS status,
  b.status AS stored_status, b.title, b.synopsis, b.genre, b.format, b.episodes, b.episode_minutes, b.languages,
  b.audio_languages, b.budget_min, b.budget_max, b.currency, b.rights, b.domestic_only, b.delivery_spec, b.questions_close_at,
  b.bids_close_at, b.delivery_due_at, b.criteria, b.visibility, b.published_at, b.cancel_reason,
  b.origin_idea_id, b.origin_credit_name, ${bidCountSql('b')} AS bid_count,
  coalesce(b.bids_close_at <= now(), false) AS bids_closed,
  b.created_at, b.updated_at, ${cursorTsSql('b.created_at')} AS cursor_ts`;

export const BRIEF_FROM = `briefs b ${joinOrganisation('bo', 'b.broadcaster_id')}`;

const VISIBLE = briefVisibleSql('b', '$1', '$2', '$3');

/** What a contract is drafted from (and its audio languages are checked against). */
export interface BriefContractTerms {
  rights: unknown;
  delivery_spec: unknown;
  audio_languages: AudioLanguageDto[];
  episode_minutes: number | null;
}

/** A brief as loaded for a use case, with the database clock of that moment. */
export type LockedBrief = BriefRow & { db_now: Date };

/** The SQL of briefs, their amendments and invitations. */
@Injectable()
export class BriefsRepository {
  async insert(em: EntityManager, cols: Record<string, unknown>): Promise<string> {
    const keys = Object.keys(cols);
    const [row] = await em.query<{ id: string }[]>(
      `INSERT INTO briefs (${keys.join(', ')}) VALUES (${keys.map((_, i) => `$${i + 1}`).join(', ')}) RETURNING id`,
      keys.map((k) => cols[k]),
    );
    return row!.id;
  }

  /** The brief if the caller can see it, optionally locked FOR UPDATE. */
  async findVisible(
    em: EntityManager,
    user: AuthUser,
    id: string,
    lock = false,
  ): Promise<LockedBrief | undefined> {
    const [row] = await em.query<LockedBrief[]>(
      `SELECT ${BRIEF_COLUMNS}, now() AS db_now FROM ${BRIEF_FROM}
        WHERE b.id = $4 AND ${VISIBLE} ${lock ? 'FOR UPDATE OF b' : ''}`,
      [...callerParams(user), id],
    );
    return row;
  }

  /**
   * A page (limit + 1 rows) of the briefs the caller may list. Broadcasters list their own
   * briefs; studios (and the operator) what is visible to them. With a text query, a full page
   * among the newest briefs is the answer; otherwise the GIN index is asked (brief-search.ts).
   */
  async list(
    em: EntityManager,
    user: AuthUser,
    q: ListBriefsQuery,
    tsquery: string | undefined,
    after: Keyset | null,
  ): Promise<BriefRow[]> {
    // Both scopes take the three caller parameters; the broadcaster's names $2 and $3 only so
    // that PostgreSQL can type them (an unreferenced parameter fails the whole statement).
    const scope =
      user.organisationKind === 'broadcaster'
        ? 'b.broadcaster_id = $1::uuid AND $2::text IS NOT NULL AND $3::text IS NOT NULL'
        : `b.published_at IS NOT NULL AND ${VISIBLE}`;
    const filters = `${scope}
          AND ${statusFilterSql(q.status, '$4')}
          AND ($5::text IS NULL OR b.genre = $5)
          AND ($6::text IS NULL OR b.format = $6)
          AND ($8::bigint IS NULL OR b.budget_max >= $8)
          AND ($9::bigint IS NULL OR b.budget_min <= $9)
          AND ($10::timestamptz IS NULL OR b.bids_close_at < $10)
          AND ($11::timestamptz IS NULL OR (b.created_at, b.id) < ($11::timestamptz, $12::uuid))`;
    const params = [
      ...callerParams(user),
      q.status ?? null,
      q.genre ?? null,
      q.format ?? null,
      tsquery ?? null,
      q.budgetMin ?? null,
      q.budgetMax ?? null,
      q.closingBefore ?? null,
      after?.ts ?? null,
      after?.id ?? null,
      q.limit + 1,
    ];
    const page = (where: string): Promise<BriefRow[]> =>
      em.query<BriefRow[]>(
        `SELECT ${BRIEF_COLUMNS} FROM ${BRIEF_FROM} WHERE ${where} ORDER BY b.created_at DESC, b.id DESC LIMIT $13`,
        params,
      );
    if (!tsquery) return page(`${filters} AND $7::text IS NULL`);
    const rows = await page(`b.id IN (${searchWalkSql(filters, '$7', '$13')})`);
    if (rows.length > q.limit) return rows;
    return page(`b.id IN (${searchMatchesSql(filters, '$7', '$13')})`);
  }

  /** Sets the given columns (brief-fields.ts setClause) and updated_at. */
  async update(em: EntityManager, id: string, set: { sql: string; params: unknown[] }): Promise<void> {
    await em.query(`UPDATE briefs SET ${set.sql}, updated_at = now() WHERE id = $1`, [id, ...set.params]);
  }

  /**
   * The one write of `briefs.status`: moves brief `id` to `to` if the lifecycle allows it from
   * its stored status (BRIEF_STATE_CONFLICT otherwise), setting updated_at and `options.set`.
   */
  async transition(
    em: EntityManager,
    id: string,
    to: BriefStatus,
    options: TransitionOptions = {},
  ): Promise<void> {
    const set = options.set ? `${options.set}, updated_at = now()` : 'updated_at = now()';
    await transitionOrThrow(em, 'briefs', briefLifecycle, id, to, { ...options, set });
  }

  async amendments(em: EntityManager, id: string): Promise<AmendmentDto[]> {
    const rows = await em.query<
      { id: string; changes: Record<string, unknown>; reason: string; created_at: Date }[]
    >(
      'SELECT id, changes, reason, created_at FROM brief_amendments WHERE brief_id = $1 ORDER BY created_at, id',
      [id],
    );
    return rows.map((a) => ({
      id: a.id,
      changes: a.changes,
      reason: a.reason,
      createdAt: a.created_at.toISOString(),
    }));
  }

  async addAmendment(
    em: EntityManager,
    id: string,
    changes: unknown,
    reason: string,
    createdBy: string,
  ): Promise<void> {
    await em.query(
      `INSERT INTO brief_amendments (brief_id, changes, reason, created_by) VALUES ($1, $2, $3, $4)`,
      [id, JSON.stringify(changes), reason, createdBy],
    );
  }

  /** The studios invited to the brief, unordered. */
  async invitedStudios(em: EntityManager, id: string): Promise<string[]> {
    const rows = await em.query<{ studio_id: string }[]>(
      'SELECT studio_id FROM brief_invitations WHERE brief_id = $1',
      [id],
    );
    return rows.map((r) => r.studio_id);
  }

  /** Invites the studios not invited yet; answers those newly invited. */
  async invite(em: EntityManager, id: string, studioIds: string[]): Promise<string[]> {
    const added = await em.query<{ studio_id: string }[]>(
      `INSERT INTO brief_invitations (brief_id, studio_id) SELECT $1, unnest($2::uuid[])
         ON CONFLICT DO NOTHING RETURNING studio_id`,
      [id, studioIds],
    );
    return added.map((r) => r.studio_id);
  }

  /** Every studio invited to the brief, in the order of invitation. */
  async invitations(em: EntityManager, id: string): Promise<string[]> {
    const all = await em.query<{ studio_id: string }[]>(
      'SELECT studio_id FROM brief_invitations WHERE brief_id = $1 ORDER BY created_at, studio_id',
      [id],
    );
    return all.map((r) => r.studio_id);
  }

  /** Studios with a stake in a brief: those that asked a question or hold a bid. */
  async interestedStudios(em: EntityManager, briefId: string): Promise<string[]> {
    const rows = await em.query<{ studio_id: string }[]>(
      `SELECT studio_id FROM questions WHERE brief_id = $1
       UNION ${biddingStudiosSql('$1')}`,
      [briefId],
    );
    return rows.map((r) => r.studio_id);
  }

  /** Whether questions are open: the brief's (effective) `status` is published and before questionsCloseAt. */
  async questionsOpen(em: EntityManager, id: string, status: BriefStatus): Promise<boolean> {
    const [open] = await em.query<{ open: boolean }[]>(
      `SELECT $1::text = 'published' AND questions_close_at > now() AS open FROM briefs WHERE id = $2`,
      [status, id],
    );
    return open?.open ?? false;
  }

  // --- Reads, locks and writes for the owner methods other modules call (BriefsService).

  /** Forgets the credited name of the brief converted from idea `ideaId`, if there is one. */
  async eraseOriginCredit(em: EntityManager, ideaId: string): Promise<void> {
    await em.query(
      `UPDATE briefs SET origin_credit_name = NULL, updated_at = now()
        WHERE origin_idea_id = $1 AND origin_credit_name IS NOT NULL`,
      [ideaId],
    );
  }

  async lockForAward(
    em: EntityManager,
    briefId: string,
  ): Promise<{ status: BriefStatus; title: string; broadcaster_id: string } | undefined> {
    const [brief] = await em.query<{ status: BriefStatus; title: string; broadcaster_id: string }[]>(
      'SELECT status, title, broadcaster_id FROM briefs WHERE id = $1 FOR UPDATE',
      [briefId],
    );
    return brief;
  }

  async contractTerms(em: EntityManager, briefId: string): Promise<BriefContractTerms | undefined> {
    const [brief] = await em.query<BriefContractTerms[]>(
      'SELECT rights, delivery_spec, audio_languages, episode_minutes FROM briefs WHERE id = $1',
      [briefId],
    );
    return brief;
  }

  async lockOpenBrief(
    em: EntityManager,
    briefId: string,
  ): Promise<
    { currency: string; budget_max: string | null; domestic_only: boolean; open: boolean } | undefined
  > {
    await em.query('SELECT 1 FROM briefs WHERE id = $1 FOR SHARE', [briefId]);
    const [b] = await em.query<
      { currency: string; budget_max: string | null; domestic_only: boolean; open: boolean }[]
    >(
      `SELECT currency, budget_max, domestic_only,
              status = 'published' AND bids_close_at > clock_timestamp() AS open
         FROM briefs WHERE id = $1`,
      [briefId],
    );
    return b;
  }

  async deadlinePassed(em: EntityManager, briefId: string): Promise<boolean> {
    const [b] = await em.query<{ past: boolean }[]>(
      'SELECT bids_close_at IS NOT NULL AND bids_close_at <= now() AS past FROM briefs WHERE id = $1',
      [briefId],
    );
    return b?.past ?? false;
  }

  async closeDue(em: EntityManager, briefId: string): Promise<boolean> {
    const [due] = await em.query<{ due: boolean }[]>(
      `SELECT ${deadlinePassedSql()} AS due FROM briefs WHERE id = $1`,
      [briefId],
    );
    return due?.due ?? false;
  }

  async lockForClose(
    em: EntityManager,
    briefId: string,
  ): Promise<
    { status: BriefStatus; title: string; broadcaster_id: string; bids_close_at: Date } | undefined
  > {
    const [b] = await em.query<
      { status: BriefStatus; title: string; broadcaster_id: string; bids_close_at: Date }[]
    >('SELECT status, title, broadcaster_id, bids_close_at FROM briefs WHERE id = $1 FOR UPDATE', [briefId]);
    return b;
  }

  async deadlineState(
    em: EntityManager,
    briefId: string,
    bidsCloseAt: string,
  ): Promise<{ current: boolean; open: boolean; title: string } | undefined> {
    const [b] = await em.query<{ current: boolean; open: boolean; title: string }[]>(
      `SELECT bids_close_at = $2::timestamptz AS current, ${bidsOpenSql()} AS open, title
         FROM briefs WHERE id = $1`,
      [briefId, bidsCloseAt],
    );
    return b;
  }
}
