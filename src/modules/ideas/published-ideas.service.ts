import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { notFound } from '../../shared/errors/common.errors';
import { decodeCursor, toPage, type PageQuery } from '../../shared/http/pagination';
import type { PublicIdeaPageDto } from './dto/idea.dto';
import { IdeaModerationRepository } from './repositories/idea-moderation.repository';
import { toPublicIdeaDto } from './repositories/ideas.repository';

/** What the public reads of a call's ideas: the approved, shortlisted, converted and declined. */
@Injectable()
export class PublishedIdeasService {
  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly repo: IdeaModerationRepository,
  ) {}

  /** The call's public ideas, newest first; a draft or cancelled call is not found. */
  async list(callId: string, q: PageQuery): Promise<PublicIdeaPageDto> {
    const after = decodeCursor(q.cursor);
    const em = this.ds.manager;
    if (!(await this.repo.callIsPublic(em, callId))) throw notFound('Idea call not found');
    const rows = await this.repo.listPublic(em, callId, after, q.limit);
    return toPage(rows, q.limit, toPublicIdeaDto);
  }
}
