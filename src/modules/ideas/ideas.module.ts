import { Module } from '@nestjs/common';
import { MailerService } from '../../shared/mail/mailer.service';
import { RateLimiter } from '../../shared/rate-limit/rate-limiter';
import { FormTokens } from './form-token';
import { IdeaCallsController } from './idea-calls.controller';
import { IdeaCallsService } from './idea-calls.service';
import { IdeaHmac } from './idea-hmac';
import { IdeaMailService } from './idea-mail.service';
import { IdeaSubmissionService } from './idea-submission.service';
import { IdeaMailHandler } from './jobs/idea-mail.handler';
import { PublicIdeasController } from './public-ideas.controller';
import { IdeaCallsRepository } from './repositories/idea-calls.repository';
import { IdeaSubmissionsRepository } from './repositories/idea-submissions.repository';
import { IdeasRepository } from './repositories/ideas.repository';

@Module({
  controllers: [IdeaCallsController, PublicIdeasController],
  providers: [
    IdeaCallsService,
    IdeaCallsRepository,
    IdeasRepository,
    IdeaSubmissionService,
    IdeaSubmissionsRepository,
    FormTokens,
    IdeaHmac,
    IdeaMailService,
    IdeaMailHandler,
    MailerService,
    RateLimiter,
  ],
})
export class IdeasModule {}
