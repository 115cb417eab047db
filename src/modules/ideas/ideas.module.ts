import { Module } from '@nestjs/common';
import { MailerService } from '../../shared/mail/mailer.service';
import { RateLimiter } from '../../shared/rate-limit/rate-limiter';
import { IdeaCallsController } from './idea-calls.controller';
import { IdeaCallsService } from './idea-calls.service';
import { IdeaVotesController } from './idea-votes.controller';
import { IdeaVotesService } from './idea-votes.service';
import { IdeaHmac } from './idea-hmac';
import { IdeaMailService } from './idea-mail.service';
import { IdeaMailHandler } from './jobs/idea-mail.handler';
import { IdeaVoteExpiryHandler } from './jobs/idea-vote-expiry.handler';
import { IdeaCallsRepository } from './repositories/idea-calls.repository';
import { IdeasRepository } from './repositories/ideas.repository';
import { IdeaMailRepository } from './repositories/idea-mail.repository';
import { IdeaVotesRepository } from './repositories/idea-votes.repository';

@Module({
  controllers: [IdeaCallsController, IdeaVotesController],
  providers: [
    IdeaCallsService,
    IdeaCallsRepository,
    IdeasRepository,
    IdeaHmac,
    IdeaMailService,
    IdeaMailRepository,
    IdeaMailHandler,
    IdeaVotesService,
    IdeaVotesRepository,
    IdeaVoteExpiryHandler,
    MailerService,
    RateLimiter,
  ],
})
export class IdeasModule {}
