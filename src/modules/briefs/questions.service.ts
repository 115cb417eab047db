import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { AuthUser } from '../../shared/auth/auth-user';
import { CommonErrors, notFound } from '../../shared/errors/common.errors';
import { DomainError } from '../../shared/errors/domain-error';
import { OutboxService } from '../../shared/outbox/outbox.service';
import { AuditService } from '../audit/audit.service';
import { AccessService } from '../organisations/access.service';
import { BRIEF_MANAGERS, BriefsService, STUDIO_ACTORS } from './briefs.service';
import { BriefErrors } from './briefs.errors';
import type { QuestionDto } from './dto/question.dto';

interface QuestionRow {
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

@Injectable()
export class QuestionsService {
  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly briefs: BriefsService,
    private readonly access: AccessService,
    private readonly audit: AuditService,
    private readonly outbox: OutboxService,
  ) {}

  /** A studio asks until questionsCloseAt (database clock). */
  async ask(user: AuthUser, briefId: string, text: string): Promise<QuestionDto> {
    if (user.organisationKind !== 'studio' || !STUDIO_ACTORS.includes(user.role)) {
      throw new DomainError(CommonErrors.FORBIDDEN, 'Only studio producers and admins ask questions');
    }
    return this.ds.transaction(async (em) => {
      const b = await this.briefs.loadVisible(em, user, briefId, true);
      const [open] = await em.query<{ open: boolean }[]>(
        `SELECT $1::text = 'published' AND questions_close_at > now() AS open FROM briefs WHERE id = $2`,
        [b.status, briefId],
      );
      if (!open?.open) throw new DomainError(BriefErrors.QUESTIONS_CLOSED);
      const [q] = await em.query<{ id: string }[]>(
        `INSERT INTO questions (brief_id, studio_id, asked_by, text) VALUES ($1, $2, $3, $4) RETURNING id`,
        [briefId, user.organisationId, user.id, text],
      );
      await this.audit.record(em, {
        actorId: user.id,
        organisationId: user.organisationId,
        action: 'question.asked',
        entityType: 'question',
        entityId: q!.id,
        after: { briefId, text },
      });
      const [row] = await em.query<QuestionRow[]>(
        `SELECT ${COLUMNS} FROM questions q JOIN organisations o ON o.id = q.studio_id WHERE q.id = $1`,
        [q!.id],
      );
      return this.toDto(row!, user, b.broadcaster_id);
    });
  }

  /**
   * Answered questions are visible to everyone who can see the brief, without the asker;
   * unanswered ones only to the asker and the broadcaster.
   */
  async list(user: AuthUser, briefId: string): Promise<QuestionDto[]> {
    const b = await this.briefs.loadVisible(this.ds.manager, user, briefId);
    const all = b.broadcaster_id === user.organisationId || user.role === 'operator';
    const rows = await this.ds.query<QuestionRow[]>(
      `SELECT ${COLUMNS} FROM questions q JOIN organisations o ON o.id = q.studio_id
        WHERE q.brief_id = $1 AND ($2::boolean OR q.answered_at IS NOT NULL OR q.studio_id = $3)
        ORDER BY q.asked_at, q.id`,
      [briefId, all, user.organisationId],
    );
    return rows.map((r) => this.toDto(r, user, b.broadcaster_id));
  }

  async answer(user: AuthUser, questionId: string, text: string): Promise<QuestionDto> {
    return this.ds.transaction(async (em) => {
      const [q] = await em.query<{ brief_id: string; answered_at: Date | null }[]>(
        'SELECT brief_id, answered_at FROM questions WHERE id = $1 FOR UPDATE',
        [questionId],
      );
      if (!q) throw notFound('Question not found');
      const b = await this.briefs.loadVisible(em, user, q.brief_id).catch(() => {
        throw notFound('Question not found');
      });
      this.access.assertOwnerRole(user, b.broadcaster_id, BRIEF_MANAGERS, 'Question not found');
      if (q.answered_at) throw new DomainError(BriefErrors.ALREADY_ANSWERED);
      if (b.status === 'cancelled' || b.status === 'draft') {
        throw new DomainError(BriefErrors.BRIEF_STATE_CONFLICT, 'The brief is not open');
      }
      await em.query(
        'UPDATE questions SET answer_text = $2, answered_at = now(), answered_by = $3 WHERE id = $1',
        [questionId, text, user.id],
      );
      await this.audit.record(em, {
        actorId: user.id,
        organisationId: user.organisationId,
        action: 'question.answered',
        entityType: 'question',
        entityId: questionId,
        after: { text },
      });
      await this.outbox.emit(em, 'question.answered', {
        recipients: {
          organisationIds: await this.briefs.interestedStudios(em, b.id),
          roles: [...STUDIO_ACTORS],
        },
        data: { briefId: b.id, briefTitle: b.title, questionId },
      });
      const [row] = await em.query<QuestionRow[]>(
        `SELECT ${COLUMNS} FROM questions q JOIN organisations o ON o.id = q.studio_id WHERE q.id = $1`,
        [questionId],
      );
      return this.toDto(row!, user, b.broadcaster_id);
    });
  }

  private toDto(r: QuestionRow, user: AuthUser, broadcasterId: string): QuestionDto {
    const mine = r.studio_id === user.organisationId;
    const mayKnowAsker = mine || user.organisationId === broadcasterId || user.role === 'operator';
    return {
      id: r.id,
      briefId: r.brief_id,
      text: r.text,
      askedAt: r.asked_at.toISOString(),
      mine,
      answer:
        r.answer_text === null ? null : { text: r.answer_text, answeredAt: r.answered_at!.toISOString() },
      ...(mayKnowAsker ? { studio: { id: r.studio_id, name: r.studio_name } } : {}),
    };
  }
}
