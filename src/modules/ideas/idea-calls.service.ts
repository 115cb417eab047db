import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { requireAccess } from '../../shared/auth/access';
import type { AuthUser } from '../../shared/auth/auth-user';
import { CommonErrors } from '../../shared/errors/common.errors';
import { DomainError } from '../../shared/errors/domain-error';
import { decodeCursor, toPage, type PageQuery } from '../../shared/http/pagination';
import { AuditService } from '../audit/audit.service';
import type { CreateIdeaCallDto, IdeaCallDto, IdeaCallPageDto, UpdateIdeaCallDto } from './dto/idea-call.dto';
import { ideaCallAccess, type IdeaCallAction } from './idea-call.access';
import { ideaCallLifecycle } from './idea-call-status';
import { IdeaErrors } from './ideas.errors';
import { IdeaCallsRepository, toIdeaCallDto, type IdeaCallRow } from './repositories/idea-calls.repository';

/** The request fields as columns (only those given). */
function toColumns(dto: UpdateIdeaCallDto): Record<string, unknown> {
  const cols: Record<string, unknown> = {};
  if (dto.title !== undefined) cols.title = dto.title;
  if (dto.description !== undefined) cols.description = dto.description;
  if (dto.genres !== undefined) cols.genres = dto.genres;
  if (dto.languages !== undefined) cols.languages = dto.languages;
  if (dto.closesAt !== undefined) cols.closes_at = dto.closesAt;
  if (dto.votingEnabled !== undefined) cols.voting_enabled = dto.votingEnabled;
  return cols;
}

@Injectable()
export class IdeaCallsService {
  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly repo: IdeaCallsRepository,
    private readonly audit: AuditService,
  ) {
    this.access = ideaCallAccess(repo);
  }

  private readonly access: ReturnType<typeof ideaCallAccess>;

  async create(user: AuthUser, dto: CreateIdeaCallDto): Promise<IdeaCallDto> {
    if (user.organisationKind !== 'broadcaster') {
      throw new DomainError(CommonErrors.FORBIDDEN, 'Only broadcasters post idea calls');
    }
    return this.ds.transaction(async (em) => {
      const id = await this.repo.insert(em, {
        broadcaster_id: user.organisationId,
        created_by: user.id,
        ...toColumns(dto),
      });
      const call = await this.read(em, user, id);
      await this.record(em, user, 'idea_call.created', id, undefined, call);
      return call;
    });
  }

  async list(user: AuthUser, q: PageQuery): Promise<IdeaCallPageDto> {
    const after = decodeCursor(q.cursor);
    if (user.organisationKind !== 'broadcaster') return { items: [], nextCursor: null };
    const rows = await this.repo.listOwn(this.ds.manager, user.organisationId, after, q.limit);
    return toPage(rows, q.limit, toIdeaCallDto);
  }

  get(user: AuthUser, id: string): Promise<IdeaCallDto> {
    return this.read(this.ds.manager, user, id);
  }

  async update(user: AuthUser, id: string, dto: UpdateIdeaCallDto): Promise<IdeaCallDto> {
    return this.ds.transaction(async (em) => {
      const before = await this.require(em, user, id, 'manage', true);
      if (before.stored_status !== 'draft') {
        throw new DomainError(IdeaErrors.IDEA_CALL_STATE_CONFLICT, 'Only a draft idea call can be edited');
      }
      await this.repo.update(em, id, toColumns(dto));
      const after = await this.read(em, user, id);
      await this.record(em, user, 'idea_call.updated', id, toIdeaCallDto(before), after);
      return after;
    });
  }

  async open(user: AuthUser, id: string): Promise<IdeaCallDto> {
    return this.ds.transaction(async (em) => {
      const c = await this.require(em, user, id, 'manage', true);
      ideaCallLifecycle.assert(c.status, 'open');
      // now() is the transaction's clock: the check and the move see the same instant.
      if (!c.closes_in_future) throw new DomainError(IdeaErrors.CLOSES_AT_PAST);
      await this.repo.transition(em, id, 'open', { set: 'opened_at = now()' });
      const after = await this.read(em, user, id);
      await this.record(em, user, 'idea_call.opened', id, { status: c.status }, { status: 'open' });
      return after;
    });
  }

  async cancel(user: AuthUser, id: string, reason: string): Promise<IdeaCallDto> {
    return this.ds.transaction(async (em) => {
      const c = await this.require(em, user, id, 'manage', true);
      // The effective status: an open call past closesAt is closed, and closed is final.
      ideaCallLifecycle.assert(c.status, 'cancelled');
      await this.repo.transition(em, id, 'cancelled', {
        set: 'cancelled_at = now(), cancel_reason = $4',
        params: [reason],
      });
      const after = await this.read(em, user, id);
      await this.record(
        em,
        user,
        'idea_call.cancelled',
        id,
        { status: c.status },
        { status: 'cancelled', reason },
      );
      return after;
    });
  }

  async listPublic(q: PageQuery): Promise<IdeaCallPageDto> {
    const after = decodeCursor(q.cursor);
    const rows = await this.repo.listOpen(this.ds.manager, after, q.limit);
    return toPage(rows, q.limit, toIdeaCallDto);
  }

  async getPublic(id: string): Promise<IdeaCallDto> {
    const row = await this.repo.findOpen(this.ds.manager, id);
    if (!row) throw new DomainError(CommonErrors.NOT_FOUND, 'Idea call not found');
    return toIdeaCallDto(row);
  }

  private require(
    em: EntityManager,
    user: AuthUser,
    id: string,
    action: IdeaCallAction,
    lock = false,
  ): Promise<IdeaCallRow> {
    return requireAccess(this.access, em, user, id, action, { lock });
  }

  private async read(em: EntityManager, user: AuthUser, id: string): Promise<IdeaCallDto> {
    return toIdeaCallDto(await this.require(em, user, id, 'read'));
  }

  private record(
    em: EntityManager,
    user: AuthUser,
    action: string,
    id: string,
    before: unknown,
    after: unknown,
  ): Promise<void> {
    return this.audit.record(em, {
      actorId: user.id,
      organisationId: user.organisationId,
      action,
      entityType: 'idea_call',
      entityId: id,
      ...(before === undefined ? {} : { before }),
      after,
    });
  }
}
