import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { requireAccess } from '../../shared/auth/access';
import type { AuthUser } from '../../shared/auth/auth-user';
import { DomainError } from '../../shared/errors/domain-error';
import { decodeCursor, toPage } from '../../shared/http/pagination';
import type { IdeaDecision } from '../../shared/outbox/events';
import { AuditService } from '../audit/audit.service';
import type { IdeaDto, ListIdeasQuery, ModerationIdeaPageDto } from './dto/idea.dto';
import { ideaCallAccess } from './idea-call.access';
import { IdeaMailService } from './idea-mail.service';
import { ideaAccess } from './idea.access';
import type { IdeaStatus } from './idea-status';
import { IdeaErrors } from './ideas.errors';
import { IdeaCallsRepository } from './repositories/idea-calls.repository';
import { IdeaModerationRepository } from './repositories/idea-moderation.repository';
import { IdeaReportsRepository } from './repositories/idea-reports.repository';
import { IdeasRepository, toIdeaDto, type IdeaRow } from './repositories/ideas.repository';

/** One moderation move: where it goes, what it stores, what it tells the submitter. */
interface Move {
  /** The audit action (`idea.<verb>`). */
  action: string;
  to: IdeaStatus;
  /**
   * The one status it starts from, where the lifecycle alone would allow more: `hidden →
   * approved` is /unhide (a review), never /approve.
   */
  from?: IdeaStatus;
  /** Further SET assignments of the transition, with their parameters from $4. */
  set?: string;
  params?: unknown[];
  /** What the audit event records beside the statuses (a reason or an answer, never personal data). */
  note?: Record<string, string>;
  /** The decision the submitter is e-mailed about, if any. */
  decision?: IdeaDecision;
  /** Whether the idea becomes approved: pending ideas that read like it get it as similar. */
  approves?: boolean;
}

/** The call's broadcaster moderates its ideas: the list, the lifecycle moves and the published answer. */
@Injectable()
export class IdeaModerationService {
  private readonly ideaAccess: ReturnType<typeof ideaAccess>;
  private readonly callAccess: ReturnType<typeof ideaCallAccess>;

  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly ideas: IdeasRepository,
    private readonly calls: IdeaCallsRepository,
    private readonly repo: IdeaModerationRepository,
    private readonly reports: IdeaReportsRepository,
    private readonly mail: IdeaMailService,
    private readonly audit: AuditService,
  ) {
    this.ideaAccess = ideaAccess(ideas);
    this.callAccess = ideaCallAccess(calls);
  }

  /** A page of the call's ideas with the approved ideas each reads like (one query per page). */
  async list(user: AuthUser, callId: string, q: ListIdeasQuery): Promise<ModerationIdeaPageDto> {
    const after = decodeCursor(q.cursor);
    const em = this.ds.manager;
    await requireAccess(this.callAccess, em, user, callId, 'read');
    const rows = await this.repo.listForCall(em, callId, q.status, after, q.limit);
    const page = toPage(rows, q.limit, toIdeaDto);
    const similar = await this.ideas.similarForEach(
      em,
      page.items.map((i) => i.id),
    );
    return { ...page, items: page.items.map((i) => ({ ...i, similar: similar.get(i.id) ?? [] })) };
  }

  /** Approving or rejecting decides a pending idea: decided_at, for the responsiveness figures. */
  approve(user: AuthUser, id: string): Promise<IdeaDto> {
    return this.move(user, id, {
      action: 'idea.approved',
      to: 'approved',
      from: 'pending',
      set: 'decided_at = now()',
      decision: 'approved',
      approves: true,
    });
  }

  reject(user: AuthUser, id: string, reason: string): Promise<IdeaDto> {
    return this.move(user, id, {
      action: 'idea.rejected',
      to: 'rejected',
      set: 'decision_reason = $4, decided_at = now()',
      params: [reason],
      note: { reason },
      decision: 'rejected',
    });
  }

  shortlist(user: AuthUser, id: string): Promise<IdeaDto> {
    return this.move(user, id, { action: 'idea.shortlisted', to: 'shortlisted', decision: 'shortlisted' });
  }

  /** Declining publishes the answer with it. */
  decline(user: AuthUser, id: string, answer: string): Promise<IdeaDto> {
    return this.move(user, id, {
      action: 'idea.declined',
      to: 'declined',
      set: 'answer_text = $4, answered_at = now()',
      params: [answer],
      note: { answer },
      decision: 'declined',
    });
  }

  hide(user: AuthUser, id: string, reason: string): Promise<IdeaDto> {
    return this.move(user, id, {
      action: 'idea.hidden',
      to: 'hidden',
      set: 'decision_reason = $4',
      params: [reason],
      note: { reason },
    });
  }

  /** The review of a hidden idea: public again, and its reports so far no longer count. */
  unhide(user: AuthUser, id: string): Promise<IdeaDto> {
    return this.move(user, id, {
      action: 'idea.unhidden',
      to: 'approved',
      from: 'hidden',
      set: 'decision_reason = NULL',
      approves: true,
    });
  }

  /** Sets or replaces the published answer, in any status but withdrawn. */
  async answer(user: AuthUser, id: string, text: string): Promise<IdeaDto> {
    return this.ds.transaction(async (em) => {
      const idea = await this.require(em, user, id);
      if (idea.status === 'withdrawn') {
        throw new DomainError(IdeaErrors.IDEA_STATE_CONFLICT, 'A withdrawn idea cannot be answered');
      }
      await this.repo.setAnswer(em, id, text);
      await this.mail.queue(em, 'answer', { ideaId: id });
      const after = await this.read(em, user, id);
      await this.record(em, user, idea, 'idea.answered', { status: idea.status, answer: text });
      return after;
    });
  }

  private move(user: AuthUser, id: string, m: Move): Promise<IdeaDto> {
    return this.ds.transaction(async (em) => {
      const idea = await this.require(em, user, id);
      if (m.from !== undefined && idea.status !== m.from) {
        throw new DomainError(
          IdeaErrors.IDEA_STATE_CONFLICT,
          `The idea is ${idea.status}; only a ${m.from} idea becomes ${m.to} this way`,
        );
      }
      await this.ideas.transition(em, id, m.to, { set: m.set, params: m.params });
      if (m.from === 'hidden') await this.reports.markReviewed(em, id);
      if (m.approves) await this.ideas.rememberSimilarToApproved(em, id);
      if (m.decision) await this.mail.queue(em, 'decision', { ideaId: id, decision: m.decision });
      const after = await this.read(em, user, id);
      await this.record(em, user, idea, m.action, { status: m.to, ...m.note });
      return after;
    });
  }

  /** The idea, locked, if the caller's broadcaster owns its call and the caller may moderate. */
  private require(em: EntityManager, user: AuthUser, id: string): Promise<IdeaRow> {
    return requireAccess(this.ideaAccess, em, user, id, 'moderate', { lock: true });
  }

  private async read(em: EntityManager, user: AuthUser, id: string): Promise<IdeaDto> {
    return toIdeaDto(await requireAccess(this.ideaAccess, em, user, id, 'read'));
  }

  /** Audited (one lock-free INSERT): ids, statuses and the moderator's text only. */
  private record(
    em: EntityManager,
    user: AuthUser,
    before: IdeaRow,
    action: string,
    after: Record<string, string>,
  ): Promise<void> {
    return this.audit.record(em, {
      actorId: user.id,
      organisationId: before.broadcaster_id,
      action,
      entityType: 'idea',
      entityId: before.id,
      before: { status: before.status },
      after,
    });
  }
}
