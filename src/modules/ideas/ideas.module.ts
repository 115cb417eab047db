import { Module } from '@nestjs/common';
import { MailerService } from '../../shared/mail/mailer.service';
import { RateLimiter } from '../../shared/rate-limit/rate-limiter';
import { IdeaCallsController } from './idea-calls.controller';
import { IdeaCallsService } from './idea-calls.service';
import { IdeaHmac } from './idea-hmac';
import { IdeaMailService } from './idea-mail.service';
import { IdeaModerationController } from './idea-moderation.controller';
import { IdeaModerationService } from './idea-moderation.service';
import { IdeaReportsService } from './idea-reports.service';
import { IdeaMailHandler } from './jobs/idea-mail.handler';
import { PublishedIdeasController } from './published-ideas.controller';
import { PublishedIdeasService } from './published-ideas.service';
import { IdeaCallsRepository } from './repositories/idea-calls.repository';
import { IdeaModerationRepository } from './repositories/idea-moderation.repository';
import { IdeaReportsRepository } from './repositories/idea-reports.repository';
import { IdeasRepository } from './repositories/ideas.repository';

@Module({
  controllers: [IdeaCallsController, IdeaModerationController, PublishedIdeasController],
  providers: [
    IdeaCallsService,
    IdeaCallsRepository,
    IdeasRepository,
    IdeaHmac,
    IdeaMailService,
    IdeaMailHandler,
    MailerService,
    RateLimiter,
    IdeaModerationService,
    IdeaModerationRepository,
    IdeaReportsService,
    IdeaReportsRepository,
    PublishedIdeasService,
  ],
})
export class IdeasModule {}
