import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { cursorTsSql, type Keyset } from '../../../shared/http/pagination';
import { joinOrganisation } from '../../organisations/organisation-sql';

export interface QuestionRow {
  id: string;
  brief_id: string;
  studio_id: string;
  studio_name: string;
  text: string;
  asked_at: Date;
  answer_text: string | null;
  answered_at: Date | null;
}

const COLUMNS = `q.id, q.brief_id, q.studio_id, o.name AS studio_name, q.text, q.asked_at, q.answer_text, q.answered_at`;
const FROM = `questions q ${joinOrganisation('o', 'q.studio_id')}`;

/** The SQL of a brief's questions. */
@Injectable()
export class QuestionsRepository {
  async insert(
    em: EntityManager,
    briefId: string,
    studioId: string,
    askedBy: string,
    text: string,
  ): Promise<string> {
    const [q] = await em.query<{ id: string }[]>(
      `INSERT INTO questions (brief_id, studio_id, asked_by, text) VALUES ($1, $2, $3, $4) RETURNING id`,
      [briefId, studioId, askedBy, text],
    );
    return q!.id;
  }

  async read(em: EntityManager, id: string): Promise<QuestionRow | undefined> {
    const [row] = await em.query<QuestionRow[]>(`SELECT ${COLUMNS} FROM ${FROM} WHERE q.id = $1`, [id]);
    return row;
  }

  /**
   * One page of a brief's questions, oldest first after the keyset `after`: all of them, or only
   * the answered ones and those `studioId` asked.
   */
  list(
    em: EntityManager,
    briefId: string,
    all: boolean,
    studioId: string,
    after: Keyset | null,
    limit: number,
  ): Promise<(QuestionRow & { cursor_ts: string })[]> {
    return em.query<(QuestionRow & { cursor_ts: string })[]>(
      `SELECT ${COLUMNS}, ${cursorTsSql('q.asked_at')} AS cursor_ts FROM ${FROM}
        WHERE q.brief_id = $1 AND ($2::boolean OR q.answered_at IS NOT NULL OR q.studio_id = $3)
          AND ($4::timestamptz IS NULL OR (q.asked_at, q.id) > ($4::timestamptz, $5::uuid))
        ORDER BY q.asked_at, q.id LIMIT $6`,
      [briefId, all, studioId, after?.ts ?? null, after?.id ?? null, limit],
    );
  }

  /** The question's brief and whether it is answered, optionally locked FOR UPDATE. */
  async find(
    em: EntityManager,
    id: string,
    lock = false,
  ): Promise<{ brief_id: string; answered_at: Date | null } | undefined> {
    const [q] = await em.query<{ brief_id: string; answered_at: Date | null }[]>(
      `SELECT brief_id, answered_at FROM questions WHERE id = $1${lock ? ' FOR UPDATE' : ''}`,
      [id],
    );
    return q;
  }

  async answer(em: EntityManager, id: string, text: string, answeredBy: string): Promise<void> {
    await em.query(
      'UPDATE questions SET answer_text = $2, answered_at = now(), answered_by = $3 WHERE id = $1',
      [id, text, answeredBy],
    );
  }
}
