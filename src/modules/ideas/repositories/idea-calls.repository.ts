import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { transitionOrThrow, type TransitionOptions } from '../../../shared/database/transition';
import { cursorTsSql, type Keyset } from '../../../shared/http/pagination';
import { joinOrganisation } from '../../organisations/organisation-sql';
import type { IdeaCallDto } from '../dto/idea-call.dto';
import {
  callEffectiveStatusSql,
  callOpenSql,
  ideaCallLifecycle,
  type IdeaCallStatus,
} from '../idea-call-status';

/** An idea call as read, with its effective status (database clock) and its stored one. */
export interface IdeaCallRow {
  id: string;
  broadcaster_id: string;
  broadcaster_name: string;
  status: IdeaCallStatus;
  stored_status: IdeaCallStatus;
  title: string;
  description: string;
  genres: string[];
  languages: string[];
  closes_at: Date;
  voting_enabled: boolean;
  cancel_reason: string | null;
  opened_at: Date | null;
  created_at: Date;
  cursor_ts: string;
  /** Whether closes_at is in the future by the database clock. */
  closes_in_future: boolean;
}

const COLUMNS = `c.id, c.broadcaster_id, bo.name AS broadcaster_name, ${callEffectiveStatusSql('c')} AS status,
  c.status AS stored_status, c.title, c.description, c.genres, c.languages, c.closes_at, c.voting_enabled,
  c.cancel_reason, c.opened_at, c.created_at, ${cursorTsSql('c.created_at')} AS cursor_ts,
  c.closes_at > now() AS closes_in_future`;

const FROM = `idea_calls c ${joinOrganisation('bo', 'c.broadcaster_id')}`;

export function toIdeaCallDto(r: IdeaCallRow): IdeaCallDto {
  return {
    id: r.id,
    broadcaster: { id: r.broadcaster_id, name: r.broadcaster_name },
    title: r.title,
    description: r.description,
    genres: r.genres,
    languages: r.languages,
    closesAt: r.closes_at.toISOString(),
    votingEnabled: r.voting_enabled,
    status: r.status,
    cancelReason: r.cancel_reason,
    openedAt: r.opened_at?.toISOString() ?? null,
    createdAt: r.created_at.toISOString(),
  };
}

/** The SQL of idea calls. */
@Injectable()
export class IdeaCallsRepository {
  async insert(em: EntityManager, cols: Record<string, unknown>): Promise<string> {
    const keys = Object.keys(cols);
    const [row] = await em.query<{ id: string }[]>(
      `INSERT INTO idea_calls (${keys.join(', ')}) VALUES (${keys.map((_, i) => `$${i + 1}`).join(', ')}) RETURNING id`,
      keys.map((k) => cols[k]),
    );
    return row!.id;
  }

  /** The call if it belongs to `broadcasterId`, optionally locked FOR UPDATE. */
  async findOwn(
    em: EntityManager,
    broadcasterId: string,
    id: string,
    lock = false,
  ): Promise<IdeaCallRow | undefined> {
    const [row] = await em.query<IdeaCallRow[]>(
      `SELECT ${COLUMNS} FROM ${FROM} WHERE c.id = $1 AND c.broadcaster_id = $2 ${lock ? 'FOR UPDATE OF c' : ''}`,
      [id, broadcasterId],
    );
    return row;
  }

  /**
   * The call if it is open by the database clock (the public view). `share` locks it FOR SHARE:
   * submissions then run side by side, and a cancel (FOR UPDATE) waits for them, or they for it.
   */
  async findOpen(em: EntityManager, id: string, share = false): Promise<IdeaCallRow | undefined> {
    const [row] = await em.query<IdeaCallRow[]>(
      `SELECT ${COLUMNS} FROM ${FROM} WHERE c.id = $1 AND ${callOpenSql('c')} ${share ? 'FOR SHARE OF c' : ''}`,
      [id],
    );
    return row;
  }

  /** A page (limit + 1 rows) of the broadcaster's calls, newest first, in every state. */
  listOwn(
    em: EntityManager,
    broadcasterId: string,
    after: Keyset | null,
    limit: number,
  ): Promise<IdeaCallRow[]> {
    return em.query<IdeaCallRow[]>(
      `SELECT ${COLUMNS} FROM ${FROM}
        WHERE c.broadcaster_id = $1
          AND ($2::timestamptz IS NULL OR (c.created_at, c.id) < ($2::timestamptz, $3::uuid))
        ORDER BY c.created_at DESC, c.id DESC LIMIT $4`,
      [broadcasterId, after?.ts ?? null, after?.id ?? null, limit + 1],
    );
  }

  /** A page (limit + 1 rows) of the calls open by the database clock, newest first. */
  listOpen(em: EntityManager, after: Keyset | null, limit: number): Promise<IdeaCallRow[]> {
    return em.query<IdeaCallRow[]>(
      `SELECT ${COLUMNS} FROM ${FROM}
        WHERE ${callOpenSql('c')}
          AND ($1::timestamptz IS NULL OR (c.created_at, c.id) < ($1::timestamptz, $2::uuid))
        ORDER BY c.created_at DESC, c.id DESC LIMIT $3`,
      [after?.ts ?? null, after?.id ?? null, limit + 1],
    );
  }

  /** Sets the given columns and updated_at. */
  async update(em: EntityManager, id: string, cols: Record<string, unknown>): Promise<void> {
    const keys = Object.keys(cols);
    if (!keys.length) return;
    await em.query(
      `UPDATE idea_calls SET ${keys.map((k, i) => `${k} = $${i + 2}`).join(', ')}, updated_at = now() WHERE id = $1`,
      [id, ...keys.map((k) => cols[k])],
    );
  }

  /**
   * The one write of `idea_calls.status`: moves call `id` to `to` if the lifecycle allows it
   * from its stored status (IDEA_CALL_STATE_CONFLICT otherwise), setting updated_at and
   * `options.set`.
   */
  async transition(
    em: EntityManager,
    id: string,
    to: IdeaCallStatus,
    options: TransitionOptions = {},
  ): Promise<void> {
    await transitionOrThrow(em, 'idea_calls', ideaCallLifecycle, id, to, {
      ...options,
      set: `updated_at = now()${options.set ? `, ${options.set}` : ''}`,
    });
  }
}
