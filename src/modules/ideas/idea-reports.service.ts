import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { InjectConfig } from '../../config/config.module';
import type { AppConfig } from '../../config/env';
import { Policy } from '../../shared/auth/policies';
import { notFound } from '../../shared/errors/common.errors';
import { DomainError } from '../../shared/errors/domain-error';
import { OutboxService } from '../../shared/outbox/outbox.service';
import { RateLimiter, type RateLimitRule } from '../../shared/rate-limit/rate-limiter';
import { AuditService } from '../audit/audit.service';
import { isDisposableEmail } from './disposable-email';
import type { IdeaReportReason } from './dto/idea-moderation.dto';
import { IdeaHmac } from './idea-hmac';
import { PUBLIC_IDEA_STATUSES } from './idea-status';
import { IdeaErrors } from './ideas.errors';
import { IdeaReportsRepository } from './repositories/idea-reports.repository';
import { IdeasRepository } from './repositories/ideas.repository';

/** Distinct reporters (since the last review) that hide an approved idea until it is reviewed. */
export const REPORTS_TO_HIDE = 3;

/** Public reports of ideas: one per person and idea, three hide an approved idea. */
@Injectable()
export class IdeaReportsService {
  private readonly limit: RateLimitRule;

  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    @InjectConfig() config: AppConfig,
    private readonly ideas: IdeasRepository,
    private readonly reports: IdeaReportsRepository,
    private readonly hmac: IdeaHmac,
    private readonly rateLimiter: RateLimiter,
    private readonly outbox: OutboxService,
    private readonly audit: AuditService,
  ) {
    // Reports share the public per-address allowance of vote requests (VOTE_REQUESTS_PER_IP_PER_HOUR).
    this.limit = { bucket: 'idea-report', limit: config.ideas.voteRequestsPerIpPerHour, periodSeconds: 3600 };
  }

  /**
   * Records the report of `email` (as the HMAC of the normalised address: a repeat in any spelling
   * counts once and is answered the same). Cheapest refusals first: a disposable address, then
   * the per-address limit, which counts every attempt (also those answered 404).
   */
  async report(ideaId: string, email: string, reason: IdeaReportReason, clientIp: string): Promise<void> {
    if (isDisposableEmail(email)) throw new DomainError(IdeaErrors.EMAIL_DISPOSABLE);
    await this.rateLimiter.enforce(
      this.limit,
      this.hmac.ip(clientIp),
      'Too many reports from this address; try again later',
    );
    await this.ds.transaction(async (em) => {
      // Locked: concurrent reports of one idea count one after another, so the third hides it once.
      const idea = await this.ideas.find(em, ideaId, true);
      if (
        !idea ||
        !['open', 'closed'].includes(idea.call_status) ||
        !PUBLIC_IDEA_STATUSES.includes(idea.status)
      ) {
        throw notFound('Idea not found');
      }
      if (!(await this.reports.insert(em, ideaId, this.hmac.email(email), reason))) return;
      const unreviewed = await this.reports.countUnreviewed(em, ideaId);
      await this.outbox.emit(em, 'idea.reported', {
        recipients: { organisationIds: [idea.broadcaster_id], roles: [...Policy.ManageBriefs.roles] },
        data: {
          ideaId,
          callId: idea.call_id,
          callTitle: idea.call_title,
          ideaTitle: idea.title,
          reason,
          reports: unreviewed,
        },
      });
      if (unreviewed >= REPORTS_TO_HIDE && idea.status === 'approved') {
        await this.ideas.transition(em, ideaId, 'hidden', { set: `decision_reason = 'reported'` });
        await this.audit.record(em, {
          actorId: null,
          organisationId: idea.broadcaster_id,
          action: 'idea.hidden',
          entityType: 'idea',
          entityId: ideaId,
          before: { status: idea.status },
          after: { status: 'hidden', reason: 'reported', reports: unreviewed },
        });
      }
    });
  }
}
