import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { InjectConfig } from '../../config/config.module';
import type { AppConfig } from '../../config/env';
import { requireAccess } from '../../shared/auth/access';
import type { AuthUser } from '../../shared/auth/auth-user';
import { Policy } from '../../shared/auth/policies';
import type { Role } from '../../shared/auth/roles';
import { CommonErrors } from '../../shared/errors/common.errors';
import { DomainError } from '../../shared/errors/domain-error';
import { decodeCursor, toPage, type Page } from '../../shared/http/pagination';
import { OutboxService } from '../../shared/outbox/outbox.service';
import { AuditService } from '../audit/audit.service';
import { OrganisationsService } from '../organisations/organisations.service';
import { briefAccess, type BriefAction } from './brief.access';
import { applyFields, setClause, stateOf, toColumns } from './brief-fields';
import { BriefHooks } from './brief-hooks';
import { auditSnapshot, toBriefDto, toBriefSummary, type BriefRow } from './brief.mapper';
import { assertAmendmentDeadlines, assertCoherent, assertPublishable } from './brief-rules';
import { assertTransition, type BriefStatus } from './brief-status';
import { toPrefixQuery } from './brief-search';
import { BriefErrors } from './briefs.errors';
import {
  BRIEF_GENRE,
  type AmendBriefDto,
  type BriefDto,
  type BriefSummaryDto,
  type CreateBriefDto,
  type InvitationsDto,
  type ListBriefsQuery,
  type UpdateBriefDto,
} from './dto/brief.dto';
import {
  BriefsRepository,
  type BriefContractTerms,
  type LockedBrief,
} from './repositories/briefs.repository';

export type { BriefContractTerms, LockedBrief } from './repositories/briefs.repository';

/** The roles of a studio told of a brief's news. */
const STUDIO_ROLES = (): Role[] => [...Policy.StudioActor.roles];

@Injectable()
export class BriefsService {
  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly repo: BriefsRepository,
    private readonly organisations: OrganisationsService,
    private readonly audit: AuditService,
    private readonly outbox: OutboxService,
    private readonly hooks: BriefHooks,
    @InjectConfig() private readonly config: AppConfig,
  ) {
    this.access = briefAccess(repo);
  }

  private readonly access: ReturnType<typeof briefAccess>;

  async create(user: AuthUser, dto: CreateBriefDto): Promise<BriefDto> {
    if (user.organisationKind !== 'broadcaster') {
      throw new DomainError(CommonErrors.FORBIDDEN, 'Only broadcasters post briefs');
    }
    assertCoherent(applyFields(stateOf(EMPTY), dto));
    return this.ds.transaction(async (em) => {
      const id = await this.repo.insert(em, {
        broadcaster_id: user.organisationId,
        created_by: user.id,
        ...toColumns(dto),
      });
      const brief = await this.read(em, user, id);
      await this.audit.record(em, {
        actorId: user.id,
        organisationId: user.organisationId,
        action: 'brief.created',
        entityType: 'brief',
        entityId: brief.id,
        after: auditSnapshot(brief),
      });
      return brief;
    });
  }

  async list(user: AuthUser, q: ListBriefsQuery): Promise<Page<BriefSummaryDto>> {
    const after = decodeCursor(q.cursor);
    const tsquery = q.q === undefined ? undefined : toPrefixQuery(q.q);
    if (tsquery === null) return { items: [], nextCursor: null };
    const rows = await this.repo.list(this.ds.manager, user, q, tsquery, after);
    return toPage(rows, q.limit, (r: BriefRow): BriefSummaryDto => toBriefSummary(r, user));
  }

  get(user: AuthUser, id: string): Promise<BriefDto> {
    return this.read(this.ds.manager, user, id);
  }

  async update(user: AuthUser, id: string, dto: UpdateBriefDto): Promise<BriefDto> {
    return this.ds.transaction(async (em) => {
      const before = await this.lockForManager(em, user, id);
      if (before.stored_status !== 'draft') throw new DomainError(BriefErrors.BRIEF_NOT_DRAFT);
      assertCoherent(applyFields(stateOf(before), dto));
      await this.repo.update(em, id, setClause(toColumns(dto), 1));
      const after = await this.read(em, user, id);
      await this.record(
        em,
        user,
        'brief.updated',
        id,
        auditSnapshot(toBriefSummary(before)),
        auditSnapshot(after),
      );
      return after;
    });
  }

  async publish(user: AuthUser, id: string): Promise<BriefDto> {
    return this.ds.transaction(async (em) => {
      const b = await this.lockForManager(em, user, id);
      assertTransition(b.status, 'published');
      assertPublishable(stateOf(b), b.db_now, this.config.briefMinBidWindowSeconds);
      await this.repo.transition(em, id, 'published', { set: 'published_at = now()' });
      await this.scheduleDeadline(em, id, b.bids_close_at!);
      const invited = b.visibility === 'invited' ? await this.repo.invitedStudios(em, id) : [];
      await this.outbox.emit(em, 'brief.published', {
        recipients:
          b.visibility === 'invited'
            ? { organisationIds: invited, roles: STUDIO_ROLES() }
            : { studiosInterestedInGenre: b.genre!, roles: STUDIO_ROLES() },
        data: { briefId: id, briefTitle: b.title, broadcasterName: b.broadcaster_name },
      });
      const after = await this.read(em, user, id);
      await this.record(em, user, 'brief.published', id, { status: 'draft' }, { status: 'published' });
      return after;
    });
  }

  async amend(user: AuthUser, id: string, dto: AmendBriefDto): Promise<BriefDto> {
    return this.ds.transaction(async (em) => {
      const b = await this.lockForManager(em, user, id);
      if (b.status !== 'published') {
        throw new DomainError(
          BriefErrors.BRIEF_STATE_CONFLICT,
          'Only a published brief open for bids can be amended',
        );
      }
      const before = stateOf(b);
      const next = applyFields(before, dto.changes);
      assertCoherent(next);
      assertAmendmentDeadlines(before, next, b.db_now, this.config.briefAmendmentMinNoticeSeconds);
      await this.repo.update(em, id, setClause(toColumns(dto.changes), 1));
      await this.repo.addAmendment(em, id, dto.changes, dto.reason, user.id);
      if (next.bidsCloseAt!.getTime() !== before.bidsCloseAt!.getTime()) {
        await this.scheduleDeadline(em, id, next.bidsCloseAt!);
      }
      // Submitted bids return to draft: their studios must confirm they still stand.
      await this.hooks.runAmended(em, id, user.id);
      await this.outbox.emit(em, 'brief.amended', {
        recipients: { organisationIds: await this.interestedStudios(em, id), roles: STUDIO_ROLES() },
        data: { briefId: id, briefTitle: next.title, reason: dto.reason },
      });
      const after = await this.read(em, user, id);
      await this.record(em, user, 'brief.amended', id, auditSnapshot(toBriefSummary(b)), {
        ...auditSnapshot(after),
        reason: dto.reason,
      });
      return after;
    });
  }

  async cancel(user: AuthUser, id: string, reason: string): Promise<BriefDto> {
    return this.ds.transaction(async (em) => {
      const b = await this.lockForManager(em, user, id);
      assertTransition(b.status, 'cancelled');
      await this.repo.transition(em, id, 'cancelled', {
        set: 'cancelled_at = now(), cancel_reason = $4',
        params: [reason],
      });
      if (b.published_at) {
        await this.outbox.emit(em, 'brief.cancelled', {
          recipients: { organisationIds: await this.interestedStudios(em, id), roles: STUDIO_ROLES() },
          data: { briefId: id, briefTitle: b.title, reason },
        });
      }
      const after = await this.read(em, user, id);
      await this.record(
        em,
        user,
        'brief.cancelled',
        id,
        { status: b.status },
        { status: 'cancelled', reason },
      );
      return after;
    });
  }

  async invite(user: AuthUser, id: string, studioIds: string[]): Promise<InvitationsDto> {
    return this.ds.transaction(async (em) => {
      const b = await this.lockForManager(em, user, id);
      if (b.visibility !== 'invited') throw new DomainError(BriefErrors.NOT_INVITATION_ONLY);
      if (b.status !== 'draft' && b.status !== 'published') {
        throw new DomainError(
          BriefErrors.BRIEF_STATE_CONFLICT,
          'Invitations are possible until the bid deadline',
        );
      }
      const studios = await this.organisations.studioIdsAmong(em, studioIds);
      const unknown = studioIds.filter((s) => !studios.includes(s));
      if (unknown.length) {
        throw new DomainError(BriefErrors.UNKNOWN_STUDIOS, `Not studios: ${unknown.join(', ')}`, {
          errors: unknown.map(() => ({ field: 'studioIds', message: 'not a studio' })),
        });
      }
      const added = await this.repo.invite(em, id, studioIds);
      if (added.length && b.status === 'published') {
        await this.outbox.emit(em, 'brief.published', {
          recipients: { organisationIds: added, roles: STUDIO_ROLES() },
          data: { briefId: id, briefTitle: b.title, broadcasterName: b.broadcaster_name },
        });
      }
      if (added.length) {
        await this.record(em, user, 'brief.invited', id, null, { studioIds: added });
      }
      return { briefId: id, studioIds: await this.repo.invitations(em, id) };
    });
  }

  /**
   * The brief, when the caller may take `action` on it: 404 "Brief not found" when they cannot
   * see it (or, to manage it, when it is not their organisation's), 403 without the role.
   */
  requireBrief(
    em: EntityManager,
    user: AuthUser,
    id: string,
    action: BriefAction,
    options: { lock?: boolean } = {},
  ): Promise<LockedBrief> {
    return requireAccess(this.access[action], em, user, id, action, options);
  }

  /** Loads a brief the caller can see (404 otherwise), optionally locked FOR UPDATE. */
  loadVisible(em: EntityManager, user: AuthUser, id: string, lock = false): Promise<LockedBrief> {
    return this.requireBrief(em, user, id, 'read', { lock });
  }

  /** Studios with a stake in a brief: those that asked a question or hold a bid. */
  interestedStudios(em: EntityManager, briefId: string): Promise<string[]> {
    return this.repo.interestedStudios(em, briefId);
  }

  private lockForManager(em: EntityManager, user: AuthUser, id: string): Promise<LockedBrief> {
    return this.requireBrief(em, user, id, 'manage', { lock: true });
  }

  private async read(em: EntityManager, user: AuthUser, id: string): Promise<BriefDto> {
    const row = await this.loadVisible(em, user, id);
    return toBriefDto(row, await this.repo.amendments(em, id), user);
  }

  /** The close job at the deadline and the reminder 24 h before it (if that is still ahead). */
  private async scheduleDeadline(em: EntityManager, briefId: string, bidsCloseAt: Date): Promise<void> {
    const at = bidsCloseAt.toISOString();
    await this.outbox.emit(
      em,
      'brief.deadline',
      { briefId, kind: 'close', bidsCloseAt: at },
      { availableAt: at },
    );
    const soon = new Date(bidsCloseAt.getTime() - 24 * 3600 * 1000).toISOString();
    await this.outbox.emit(
      em,
      'brief.deadline',
      { briefId, kind: 'closing_soon', bidsCloseAt: at },
      { availableAt: soon },
    );
  }

  /**
   * Records the closing of a published brief at its deadline (the bid opening, inside its
   * transaction, after it locked the brief and saw it published): closed, with closed_at.
   */
  async markClosed(em: EntityManager, briefId: string): Promise<void> {
    await this.repo.transition(em, briefId, 'closed', { set: 'closed_at = now()' });
  }

  /** Marks a closed brief awarded (the award, inside its transaction, after it locked the brief). */
  async markAwarded(em: EntityManager, briefId: string): Promise<void> {
    await this.repo.transition(em, briefId, 'awarded');
  }

  private record(
    em: EntityManager,
    user: AuthUser,
    action: string,
    briefId: string,
    before: unknown,
    after: unknown,
  ): Promise<void> {
    return this.audit.record(em, {
      actorId: user.id,
      organisationId: user.organisationId,
      action,
      entityType: 'brief',
      entityId: briefId,
      before,
      after,
    });
  }

  // --- Owner methods for the modules above briefs (bids, contracts, ideas), in their transaction.

  /**
   * A draft brief of the caller's broadcaster converted from a viewer's idea (one per idea: the
   * unique briefs_origin_idea_key). `creditName` is the originator's name when they agreed to be
   * credited; a genre the briefs' rule refuses is left for the commissioner to set.
   */
  async createFromIdea(
    em: EntityManager,
    user: AuthUser,
    idea: {
      ideaId: string;
      title: string;
      synopsis: string;
      genre: string | null;
      languages: string[];
      creditName: string | null;
    },
  ): Promise<string> {
    const genre = idea.genre?.trim().toLowerCase() ?? null;
    const id = await this.repo.insert(em, {
      broadcaster_id: user.organisationId,
      created_by: user.id,
      title: idea.title,
      synopsis: idea.synopsis,
      genre: genre !== null && BRIEF_GENRE.test(genre) ? genre : null,
      languages: idea.languages,
      origin_idea_id: idea.ideaId,
      origin_credit_name: idea.creditName,
    });
    const brief = await this.read(em, user, id);
    await this.audit.record(em, {
      actorId: user.id,
      organisationId: user.organisationId,
      action: 'brief.created',
      entityType: 'brief',
      entityId: id,
      after: auditSnapshot(brief),
    });
    return id;
  }

  /** Forgets the originator's credited name on the brief converted from `ideaId` (erasure). */
  eraseOriginCredit(em: EntityManager, ideaId: string): Promise<void> {
    return this.repo.eraseOriginCredit(em, ideaId);
  }

  /** The brief locked FOR UPDATE for the award: status, title and broadcaster. */
  lockForAward(
    em: EntityManager,
    briefId: string,
  ): Promise<{ status: BriefStatus; title: string; broadcaster_id: string } | undefined> {
    return this.repo.lockForAward(em, briefId);
  }

  /** The rights, delivery spec and audio languages a contract is drafted from, and the episode length. */
  contractTerms(em: EntityManager, briefId: string): Promise<BriefContractTerms | undefined> {
    return this.repo.contractTerms(em, briefId);
  }

  /**
   * For a bid write: locks the brief FOR SHARE (amendments and the close wait for the bid, and
   * the bid for them), then reads its bid terms and whether the window is open. clock_timestamp(),
   * read after the lock: a write that waited on the close sees it closed. Undefined: no brief.
   */
  lockOpenBrief(
    em: EntityManager,
    briefId: string,
  ): Promise<
    { currency: string; budget_max: string | null; domestic_only: boolean; open: boolean } | undefined
  > {
    return this.repo.lockOpenBrief(em, briefId);
  }

  /** Whether the brief's bid deadline has passed (database clock); false for no brief. */
  deadlinePassed(em: EntityManager, briefId: string): Promise<boolean> {
    return this.repo.deadlinePassed(em, briefId);
  }

  /** Whether the brief is published and past its deadline, i.e. its closing is due (no lock). */
  closeDue(em: EntityManager, briefId: string): Promise<boolean> {
    return this.repo.closeDue(em, briefId);
  }

  /** The brief locked FOR UPDATE, for recording its closing. */
  lockForClose(
    em: EntityManager,
    briefId: string,
  ): Promise<
    { status: BriefStatus; title: string; broadcaster_id: string; bids_close_at: Date } | undefined
  > {
    return this.repo.lockForClose(em, briefId);
  }

  /**
   * For a scheduled deadline event: whether `bidsCloseAt` is still the brief's deadline, whether
   * the window is still open, and its title.
   */
  deadlineState(
    em: EntityManager,
    briefId: string,
    bidsCloseAt: string,
  ): Promise<{ current: boolean; open: boolean; title: string } | undefined> {
    return this.repo.deadlineState(em, briefId, bidsCloseAt);
  }
}

// A brief with nothing set, to check a create body with the same rules as a patch.
const EMPTY = {
  title: null,
  synopsis: null,
  genre: null,
  format: null,
  episodes: null,
  episode_minutes: null,
  languages: [],
  audio_languages: [],
  budget_min: null,
  budget_max: null,
  rights: null,
  delivery_spec: null,
  questions_close_at: null,
  bids_close_at: null,
  delivery_due_at: null,
  criteria: [],
} as unknown as BriefRow;
