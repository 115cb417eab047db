import { Module } from '@nestjs/common';
import { MailerService } from '../../shared/mail/mailer.service';
import { RateLimiter } from '../../shared/rate-limit/rate-limiter';
import { IdeaCallsController } from './idea-calls.controller';
import { IdeaCallsService } from './idea-calls.service';
import { IdeaHmac } from './idea-hmac';
import { IdeaMailService } from './idea-mail.service';
import { IdeaMailHandler } from './jobs/idea-mail.handler';
import { IdeaCallsRepository } from './repositories/idea-calls.repository';
import { IdeasRepository } from './repositories/ideas.repository';
import { IdeaMailRepository } from './repositories/idea-mail.repository';

@Module({
  controllers: [IdeaCallsController],
  providers: [
    IdeaCallsService,
    IdeaCallsRepository,
    IdeasRepository,
    IdeaHmac,
    IdeaMailService,
    IdeaMailRepository,
    IdeaMailHandler,
    MailerService,
    RateLimiter,
  ],
})
export class IdeasModule {}
