import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { DomainError } from '../../shared/errors/domain-error';
import { AuditService } from '../audit/audit.service';
import { BriefsService } from '../briefs/briefs.service';
import type { ErasedIdeaDto, WithdrawnIdeaDto } from './dto/idea-links.dto';
import { hashLinkToken } from './idea-mail.service';
import { ideaLifecycle } from './idea-status';
import { IdeaErrors } from './ideas.errors';
import { IdeaSubmittersRepository, type ManagedIdeaRow } from './repositories/idea-submitters.repository';
import { IdeasRepository } from './repositories/ideas.repository';

/**
 * What the submitter does through the link in their receipt e-mail (no account: the token is the
 * credential): withdraw the idea, or erase their personal data. Audited with ids and statuses
 * only, no actor, under the call's broadcaster.
 */
@Injectable()
export class IdeaLinksService {
  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly submitters: IdeaSubmittersRepository,
    private readonly ideas: IdeasRepository,
    private readonly briefs: BriefsService,
    private readonly audit: AuditService,
  ) {}

  /** pending | approved → withdrawn (IDEA_STATE_CONFLICT from any other status). */
  withdraw(token: string): Promise<WithdrawnIdeaDto> {
    return this.ds.transaction(async (em) => {
      const idea = await this.byToken(em, token);
      await this.ideas.transition(em, idea.idea_id, 'withdrawn');
      await this.record(em, idea, 'idea.withdrawn', { status: idea.status }, { status: 'withdrawn' });
      return { ideaId: idea.idea_id, status: 'withdrawn' };
    });
  }

  /**
   * Withdraws the idea where its lifecycle allows, deletes the submitter's personal data (the
   * token with it, so the link stops working), marks the idea erased and takes the name off the
   * brief it became. The idea's text and receipt stay: the receipt is still verifiable.
   */
  erase(token: string): Promise<ErasedIdeaDto> {
    return this.ds.transaction(async (em) => {
      const idea = await this.byToken(em, token);
      const withdraw = ideaLifecycle.can(idea.status, 'withdrawn');
      if (withdraw) await this.ideas.transition(em, idea.idea_id, 'withdrawn');
      await this.submitters.erase(em, idea.idea_id);
      if (idea.converted_brief_id !== null) await this.briefs.eraseOriginCredit(em, idea.idea_id);
      await this.record(
        em,
        idea,
        'idea.erased',
        { status: idea.status },
        { status: withdraw ? 'withdrawn' : idea.status, erased: true },
      );
      return { ideaId: idea.idea_id, erased: true };
    });
  }

  /** The idea the token's link names, locked; MANAGE_TOKEN_INVALID for an unknown or erased one. */
  private async byToken(em: EntityManager, token: string): Promise<ManagedIdeaRow> {
    const idea = await this.submitters.findByManageToken(em, hashLinkToken(token));
    if (!idea) throw new DomainError(IdeaErrors.MANAGE_TOKEN_INVALID);
    return idea;
  }

  private record(
    em: EntityManager,
    idea: ManagedIdeaRow,
    action: string,
    before: Record<string, unknown>,
    after: Record<string, unknown>,
  ): Promise<void> {
    return this.audit.record(em, {
      actorId: null,
      organisationId: idea.broadcaster_id,
      action,
      entityType: 'idea',
      entityId: idea.idea_id,
      before,
      after,
    });
  }
}
