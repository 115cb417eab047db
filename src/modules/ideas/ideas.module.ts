import { Module } from '@nestjs/common';
import { IdeaCallsController } from './idea-calls.controller';
import { IdeaCallsService } from './idea-calls.service';
import { IdeaCallsRepository } from './repositories/idea-calls.repository';

@Module({
  controllers: [IdeaCallsController],
  providers: [IdeaCallsService, IdeaCallsRepository],
})
export class IdeasModule {}
