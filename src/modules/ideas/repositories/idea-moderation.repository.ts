import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { Keyset } from '../../../shared/http/pagination';
import { ideaPublicSql, type IdeaStatus } from '../idea-status';
import { IDEA_COLUMNS, IDEA_FROM, type IdeaRow } from './ideas.repository';

/** Newest first, after the keyset position `$n`, `$n+1` when one is given. */
const keysetSql = (n: number): string =>
  `($${n}::timestamptz IS NULL OR (i.received_at, i.id) < ($${n}::timestamptz, $${n + 1}::uuid))
   ORDER BY i.received_at DESC, i.id DESC LIMIT $${n + 2}`;

/** The SQL of the moderation and public lists of a call's ideas, and of published answers. */
@Injectable()
export class IdeaModerationRepository {
  /**
   * A page (limit + 1 rows) of a call's ideas, newest first, optionally of one status
   * (ideas_call_received_idx, or ideas_call_status_received_idx with a status).
   */
  listForCall(
    em: EntityManager,
    callId: string,
    status: IdeaStatus | undefined,
    after: Keyset | null,
    limit: number,
  ): Promise<IdeaRow[]> {
    const byStatus = status !== undefined;
    return em.query<IdeaRow[]>(
      `SELECT ${IDEA_COLUMNS} FROM ${IDEA_FROM}
        WHERE i.call_id = $1 ${byStatus ? 'AND i.status = $2' : ''}
          AND ${keysetSql(byStatus ? 3 : 2)}`,
      [callId, ...(byStatus ? [status] : []), after?.ts ?? null, after?.id ?? null, limit + 1],
    );
  }

  /** A page (limit + 1 rows) of a call's publicly visible ideas, newest first. */
  listPublic(em: EntityManager, callId: string, after: Keyset | null, limit: number): Promise<IdeaRow[]> {
    return em.query<IdeaRow[]>(
      `SELECT ${IDEA_COLUMNS} FROM ${IDEA_FROM}
        WHERE i.call_id = $1 AND ${ideaPublicSql('i')} AND ${keysetSql(2)}`,
      [callId, after?.ts ?? null, after?.id ?? null, limit + 1],
    );
  }

  /**
   * Whether the public may read the call's ideas: the call was opened and not cancelled (open,
   * or closed, by its deadline or otherwise). Drafts and cancelled calls show nothing.
   */
  async callIsPublic(em: EntityManager, callId: string): Promise<boolean> {
    const rows = await em.query<unknown[]>(
      `SELECT 1 FROM idea_calls WHERE id = $1 AND status IN ('open', 'closed')`,
      [callId],
    );
    return rows.length > 0;
  }

  /** Sets or replaces the published answer (answered_at by the database clock). */
  async setAnswer(em: EntityManager, id: string, text: string): Promise<void> {
    await em.query(
      `UPDATE ideas SET answer_text = $2, answered_at = now(), updated_at = now() WHERE id = $1`,
      [id, text],
    );
  }
}
