import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { requireAccess } from '../../shared/auth/access';
import type { AuthUser } from '../../shared/auth/auth-user';
import { DomainError } from '../../shared/errors/domain-error';
import { AuditService } from '../audit/audit.service';
import { BriefsService } from '../briefs/briefs.service';
import type { ConvertedIdeaDto } from './dto/idea-links.dto';
import { ideaAccess } from './idea.access';
import { IdeaMailService } from './idea-mail.service';
import { ideaLifecycle } from './idea-status';
import { IdeaErrors } from './ideas.errors';
import { IdeaCallsRepository } from './repositories/idea-calls.repository';
import { IdeasRepository } from './repositories/ideas.repository';

/** A shortlisted idea becomes a draft brief of its call's broadcaster (product.md, "Ideas"). */
@Injectable()
export class IdeaConversionService {
  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly ideas: IdeasRepository,
    private readonly calls: IdeaCallsRepository,
    private readonly briefs: BriefsService,
    private readonly mail: IdeaMailService,
    private readonly audit: AuditService,
  ) {
    this.access = ideaAccess(ideas);
  }

  private readonly access: ReturnType<typeof ideaAccess>;

  /**
   * Exactly one brief per idea: the idea row stays locked from the check to the commit, so
   * concurrent conversions queue behind the first and then see its brief (IDEA_CONVERTED with
   * `briefId`); the unique constraints on both sides are the backstop.
   */
  convert(user: AuthUser, id: string): Promise<ConvertedIdeaDto> {
    return this.ds.transaction(async (em) => {
      const idea = await requireAccess(this.access, em, user, id, 'moderate', { lock: true });
      if (idea.converted_brief_id !== null) {
        throw new DomainError(IdeaErrors.IDEA_CONVERTED, 'The idea was already converted into a brief', {
          fields: { briefId: idea.converted_brief_id },
        });
      }
      ideaLifecycle.assert(idea.status, 'converted');
      const call = await this.calls.findOwn(em, idea.broadcaster_id, idea.call_id);
      const briefId = await this.briefs.createFromIdea(em, user, {
        ideaId: idea.id,
        title: idea.title,
        synopsis: `${idea.logline}\n\n${idea.description}`,
        genre: call?.genres[0] ?? null,
        languages: call?.languages ?? [],
        // IDEA_COLUMNS gives the name only when the submitter agreed, and none once erased.
        creditName: idea.credit_name,
      });
      await this.ideas.transition(em, id, 'converted', { set: 'converted_brief_id = $4', params: [briefId] });
      await this.mail.queue(em, 'converted', { ideaId: id });
      await this.audit.record(em, {
        actorId: user.id,
        organisationId: user.organisationId,
        action: 'idea.converted',
        entityType: 'idea',
        entityId: id,
        before: { status: idea.status },
        after: { status: 'converted', briefId },
      });
      return { briefId };
    });
  }
}
