import { Module } from '@nestjs/common';
import { MailerService } from '../../shared/mail/mailer.service';
import { RateLimiter } from '../../shared/rate-limit/rate-limiter';
import { BriefsModule } from '../briefs/briefs.module';
import { FormTokens } from './form-token';
import { IdeaConversionController } from './idea-conversion.controller';
import { IdeaConversionService } from './idea-conversion.service';
import { IdeaCallsController } from './idea-calls.controller';
import { IdeaCallsService } from './idea-calls.service';
import { IdeaVotesController } from './idea-votes.controller';
import { IdeaVotesService } from './idea-votes.service';
import { IdeaHmac } from './idea-hmac';
import { IdeaLinksController } from './idea-links.controller';
import { IdeaLinksService } from './idea-links.service';
import { IdeaMailService } from './idea-mail.service';
import { IdeaSubmissionService } from './idea-submission.service';
import { IdeaMailHandler } from './jobs/idea-mail.handler';
import { PublicIdeasController } from './public-ideas.controller';
import { IdeaVoteExpiryHandler } from './jobs/idea-vote-expiry.handler';
import { IdeaCallsRepository } from './repositories/idea-calls.repository';
import { IdeaSubmissionsRepository } from './repositories/idea-submissions.repository';
import { IdeaModerationController } from './idea-moderation.controller';
import { IdeaModerationService } from './idea-moderation.service';
import { IdeaReportsService } from './idea-reports.service';
import { PublishedIdeasController } from './published-ideas.controller';
import { PublishedIdeasService } from './published-ideas.service';
import { IdeaModerationRepository } from './repositories/idea-moderation.repository';
import { IdeaReportsRepository } from './repositories/idea-reports.repository';
import { IdeasRepository } from './repositories/ideas.repository';
import { IdeaMailRepository } from './repositories/idea-mail.repository';
import { IdeaSubmittersRepository } from './repositories/idea-submitters.repository';
import { IdeaVotesRepository } from './repositories/idea-votes.repository';

@Module({
  imports: [BriefsModule],
  controllers: [
    IdeaCallsController,
    PublicIdeasController,
    IdeaLinksController,
    IdeaConversionController,
    IdeaVotesController,
    IdeaModerationController,
    PublishedIdeasController,
  ],
  providers: [
    IdeaCallsService,
    IdeaCallsRepository,
    IdeasRepository,
    IdeaSubmissionService,
    IdeaSubmissionsRepository,
    FormTokens,
    IdeaHmac,
    IdeaMailService,
    IdeaMailRepository,
    IdeaMailHandler,
    IdeaLinksService,
    IdeaSubmittersRepository,
    IdeaConversionService,
    IdeaVotesService,
    IdeaVotesRepository,
    IdeaVoteExpiryHandler,
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
