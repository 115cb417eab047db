import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { requireAccess, type ResourceAccess } from '../../shared/auth/access';
import type { AuthUser } from '../../shared/auth/auth-user';
import { Policy } from '../../shared/auth/policies';
import { CommonErrors } from '../../shared/errors/common.errors';
import { DomainError } from '../../shared/errors/domain-error';
import { decodeCursor, toPage, type Page, type PageQuery } from '../../shared/http/pagination';
import { OutboxService } from '../../shared/outbox/outbox.service';
import { AuditService } from '../audit/audit.service';
import { questionAccess, type QuestionTarget } from './brief.access';
import { BriefsService } from './briefs.service';
import { BriefErrors } from './briefs.errors';
import type { QuestionDto } from './dto/question.dto';
import { BriefsRepository } from './repositories/briefs.repository';
import { QuestionsRepository, type QuestionRow } from './repositories/questions.repository';

@Injectable()
export class QuestionsService {
  private readonly access: ResourceAccess<QuestionTarget, 'answer'>;

  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly briefs: BriefsService,
    private readonly repo: QuestionsRepository,
    private readonly briefsRepo: BriefsRepository,
    private readonly audit: AuditService,
    private readonly outbox: OutboxService,
  ) {
    this.access = questionAccess(repo, briefsRepo);
  }

  /** A studio asks until questionsCloseAt (database clock). */
  async ask(user: AuthUser, briefId: string, text: string): Promise<QuestionDto> {
    if (!Policy.StudioActor.allows(user)) {
      throw new DomainError(CommonErrors.FORBIDDEN, 'Only studio producers and admins ask questions');
    }
    return this.ds.transaction(async (em) => {
      const b = await this.briefs.requireBrief(em, user, briefId, 'read', { lock: true });
      if (!(await this.briefsRepo.questionsOpen(em, briefId, b.status))) {
        throw new DomainError(BriefErrors.QUESTIONS_CLOSED);
      }
      const id = await this.repo.insert(em, briefId, user.organisationId, user.id, text);
      await this.audit.record(em, {
        actorId: user.id,
        organisationId: user.organisationId,
        action: 'question.asked',
        entityType: 'question',
        entityId: id,
        after: { briefId, text },
      });
      return this.toDto((await this.repo.read(em, id))!, user, b.broadcaster_id);
    });
  }

  /**
   * Answered questions are visible to everyone who can see the brief, without the asker;
   * unanswered ones only to the asker and the broadcaster.
   */
  /** Oldest first; the cursor is the last question's (askedAt, id). */
  async list(user: AuthUser, briefId: string, q: PageQuery): Promise<Page<QuestionDto>> {
    const after = decodeCursor(q.cursor);
    const b = await this.briefs.requireBrief(this.ds.manager, user, briefId, 'read');
    const all = b.broadcaster_id === user.organisationId || user.role === 'operator';
    const rows = await this.repo.list(this.ds.manager, briefId, all, user.organisationId, after, q.limit + 1);
    return toPage(rows, q.limit, (r) => this.toDto(r, user, b.broadcaster_id));
  }

  async answer(user: AuthUser, questionId: string, text: string): Promise<QuestionDto> {
    return this.ds.transaction(async (em) => {
      const { question: q, brief: b } = await requireAccess(this.access, em, user, questionId, 'answer', {
        lock: true,
      });
      if (q.answered_at) throw new DomainError(BriefErrors.ALREADY_ANSWERED);
      if (b.status === 'cancelled' || b.status === 'draft') {
        throw new DomainError(BriefErrors.BRIEF_STATE_CONFLICT, 'The brief is not open');
      }
      await this.repo.answer(em, questionId, text, user.id);
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
          roles: [...Policy.StudioActor.roles],
        },
        data: { briefId: b.id, briefTitle: b.title, questionId },
      });
      return this.toDto((await this.repo.read(em, questionId))!, user, b.broadcaster_id);
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
