import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { InjectConfig } from '../../config/config.module';
import type { AppConfig } from '../../config/env';
import type { AuthUser } from '../../shared/auth/auth-user';
import type { Role } from '../../shared/auth/roles';
import { CommonErrors, notFound } from '../../shared/errors/common.errors';
import { DomainError } from '../../shared/errors/domain-error';
import { decodeCursor, toPage, type Page } from '../../shared/http/pagination';
import { OutboxService } from '../../shared/outbox/outbox.service';
import { AuditService } from '../audit/audit.service';
import { AccessService } from '../organisations/access.service';
import { applyFields, setClause, stateOf, toColumns } from './brief-fields';
import { BriefHooks } from './brief-hooks';
import { BRIEF_COLUMNS, BRIEF_FROM, toBriefDto, toBriefSummary, type BriefRow } from './brief.mapper';
import { assertAmendmentDeadlines, assertCoherent, assertPublishable } from './brief-rules';
import { assertTransition } from './brief-status';
import { searchMatchesSql, searchWalkSql, statusFilterSql, toPrefixQuery } from './brief-search';
import { BriefErrors } from './briefs.errors';
import type {
  AmendBriefDto,
  AmendmentDto,
  BriefDto,
  BriefSummaryDto,
  CreateBriefDto,
  ListBriefsQuery,
  UpdateBriefDto,
} from './dto/brief.dto';

/** Who may manage a broadcaster's briefs. */
export const BRIEF_MANAGERS: readonly Role[] = ['commissioner', 'admin'];
/** Who acts for a studio on briefs (questions, bids). */
export const STUDIO_ACTORS: readonly Role[] = ['producer', 'admin'];

const VISIBLE = AccessService.briefVisibleSql('b', '$1', '$2', '$3');

type LockedBrief = BriefRow & { db_now: Date };

@Injectable()
export class BriefsService {
  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly access: AccessService,
    private readonly audit: AuditService,
    private readonly outbox: OutboxService,
    private readonly hooks: BriefHooks,
    @InjectConfig() private readonly config: AppConfig,
  ) {}

  async create(user: AuthUser, dto: CreateBriefDto): Promise<BriefDto> {
    if (user.organisationKind !== 'broadcaster') {
      throw new DomainError(CommonErrors.FORBIDDEN, 'Only broadcasters post briefs');
    }
    assertCoherent(applyFields(stateOf(EMPTY), dto));
    return this.ds.transaction(async (em) => {
      const cols = { broadcaster_id: user.organisationId, created_by: user.id, ...toColumns(dto) };
      const keys = Object.keys(cols);
      const [row] = await em.query<{ id: string }[]>(
        `INSERT INTO briefs (${keys.join(', ')}) VALUES (${keys.map((_, i) => `$${i + 1}`).join(', ')}) RETURNING id`,
        keys.map((k) => cols[k as keyof typeof cols]),
      );
      const brief = await this.read(em, user, row!.id);
      await this.audit.record(em, {
        actorId: user.id,
        organisationId: user.organisationId,
        action: 'brief.created',
        entityType: 'brief',
        entityId: brief.id,
        after: brief,
      });
      return brief;
    });
  }

  async list(user: AuthUser, q: ListBriefsQuery): Promise<Page<BriefSummaryDto>> {
    const after = decodeCursor(q.cursor);
    const tsquery = q.q === undefined ? undefined : toPrefixQuery(q.q);
    if (tsquery === null) return { items: [], nextCursor: null };
    // Broadcasters list their own briefs; studios (and the operator) what is visible to them.
    // Both scopes take the three caller parameters; the broadcaster's names $2 and $3 only so
    // that PostgreSQL can type them (an unreferenced parameter fails the whole statement).
    const scope =
      user.organisationKind === 'broadcaster'
        ? 'b.broadcaster_id = $1::uuid AND $2::text IS NOT NULL AND $3::text IS NOT NULL'
        : `b.published_at IS NOT NULL AND ${VISIBLE}`;
    const filters = `${scope}
          AND ${statusFilterSql(q.status, '$4')}
          AND ($5::text IS NULL OR b.genre = $5)
          AND ($6::text IS NULL OR b.format = $6)
          AND ($8::bigint IS NULL OR b.budget_max >= $8)
          AND ($9::bigint IS NULL OR b.budget_min <= $9)
          AND ($10::timestamptz IS NULL OR b.bids_close_at < $10)
          AND ($11::timestamptz IS NULL OR (b.created_at, b.id) < ($11::timestamptz, $12::uuid))`;
    const params = [
      ...AccessService.callerParams(user),
      q.status ?? null,
      q.genre ?? null,
      q.format ?? null,
      tsquery ?? null,
      q.budgetMin ?? null,
      q.budgetMax ?? null,
      q.closingBefore ?? null,
      after?.ts ?? null,
      after?.id ?? null,
      q.limit + 1,
    ];
    const page = (where: string): Promise<BriefRow[]> =>
      this.ds.query<BriefRow[]>(
        `SELECT ${BRIEF_COLUMNS} FROM ${BRIEF_FROM} WHERE ${where} ORDER BY b.created_at DESC, b.id DESC LIMIT $13`,
        params,
      );
    const toSummary = (r: BriefRow): BriefSummaryDto => toBriefSummary(r, user);
    if (!tsquery) return toPage(await page(`${filters} AND $7::text IS NULL`), q.limit, toSummary);
    // A full page among the newest briefs is the answer; otherwise ask the GIN index.
    let rows = await page(`b.id IN (${searchWalkSql(filters, '$7', '$13')})`);
    if (rows.length <= q.limit) rows = await page(`b.id IN (${searchMatchesSql(filters, '$7', '$13')})`);
    return toPage(rows, q.limit, toSummary);
  }

  get(user: AuthUser, id: string): Promise<BriefDto> {
    return this.read(this.ds.manager, user, id);
  }

  async update(user: AuthUser, id: string, dto: UpdateBriefDto): Promise<BriefDto> {
    return this.ds.transaction(async (em) => {
      const before = await this.lockForManager(em, user, id);
      if (before.stored_status !== 'draft') throw new DomainError(BriefErrors.BRIEF_NOT_DRAFT);
      assertCoherent(applyFields(stateOf(before), dto));
      const set = setClause(toColumns(dto), 1);
      await em.query(`UPDATE briefs SET ${set.sql}, updated_at = now() WHERE id = $1`, [id, ...set.params]);
      const after = await this.read(em, user, id);
      await this.record(em, user, 'brief.updated', id, toBriefSummary(before), after);
      return after;
    });
  }

  async publish(user: AuthUser, id: string): Promise<BriefDto> {
    return this.ds.transaction(async (em) => {
      const b = await this.lockForManager(em, user, id);
      assertTransition(b.status, 'published');
      assertPublishable(stateOf(b), b.db_now, this.config.briefMinBidWindowSeconds);
      await em.query(
        `UPDATE briefs SET status = 'published', published_at = now(), updated_at = now() WHERE id = $1`,
        [id],
      );
      await this.scheduleDeadline(em, id, b.bids_close_at!);
      const invited =
        b.visibility === 'invited'
          ? (
              await em.query<{ studio_id: string }[]>(
                'SELECT studio_id FROM brief_invitations WHERE brief_id = $1',
                [id],
              )
            ).map((r) => r.studio_id)
          : [];
      await this.outbox.emit(em, 'brief.published', {
        recipients:
          b.visibility === 'invited'
            ? { organisationIds: invited, roles: [...STUDIO_ACTORS] }
            : { studiosInterestedInGenre: b.genre!, roles: [...STUDIO_ACTORS] },
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
      const set = setClause(toColumns(dto.changes), 1);
      await em.query(`UPDATE briefs SET ${set.sql}, updated_at = now() WHERE id = $1`, [id, ...set.params]);
      await em.query(
        `INSERT INTO brief_amendments (brief_id, changes, reason, created_by) VALUES ($1, $2, $3, $4)`,
        [id, JSON.stringify(dto.changes), dto.reason, user.id],
      );
      if (next.bidsCloseAt!.getTime() !== before.bidsCloseAt!.getTime()) {
        await this.scheduleDeadline(em, id, next.bidsCloseAt!);
      }
      // Submitted bids return to draft: their studios must confirm they still stand.
      await this.hooks.runAmended(em, id, user.id);
      await this.outbox.emit(em, 'brief.amended', {
        recipients: { organisationIds: await this.interestedStudios(em, id), roles: [...STUDIO_ACTORS] },
        data: { briefId: id, briefTitle: next.title, reason: dto.reason },
      });
      const after = await this.read(em, user, id);
      await this.record(em, user, 'brief.amended', id, toBriefSummary(b), { ...after, reason: dto.reason });
      return after;
    });
  }

  async cancel(user: AuthUser, id: string, reason: string): Promise<BriefDto> {
    return this.ds.transaction(async (em) => {
      const b = await this.lockForManager(em, user, id);
      assertTransition(b.status, 'cancelled');
      await em.query(
        `UPDATE briefs SET status = 'cancelled', cancelled_at = now(), cancel_reason = $2, updated_at = now() WHERE id = $1`,
        [id, reason],
      );
      if (b.published_at) {
        await this.outbox.emit(em, 'brief.cancelled', {
          recipients: { organisationIds: await this.interestedStudios(em, id), roles: [...STUDIO_ACTORS] },
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

  async invite(
    user: AuthUser,
    id: string,
    studioIds: string[],
  ): Promise<{ briefId: string; studioIds: string[] }> {
    return this.ds.transaction(async (em) => {
      const b = await this.lockForManager(em, user, id);
      if (b.visibility !== 'invited') throw new DomainError(BriefErrors.NOT_INVITATION_ONLY);
      if (b.status !== 'draft' && b.status !== 'published') {
        throw new DomainError(
          BriefErrors.BRIEF_STATE_CONFLICT,
          'Invitations are possible until the bid deadline',
        );
      }
      const studios = await em.query<{ id: string }[]>(
        `SELECT id FROM organisations WHERE id = ANY($1::uuid[]) AND kind = 'studio'`,
        [studioIds],
      );
      const unknown = studioIds.filter((s) => !studios.some((r) => r.id === s));
      if (unknown.length) {
        throw new DomainError(BriefErrors.UNKNOWN_STUDIOS, `Not studios: ${unknown.join(', ')}`, {
          errors: unknown.map(() => ({ field: 'studioIds', message: 'not a studio' })),
        });
      }
      const added = await em.query<{ studio_id: string }[]>(
        `INSERT INTO brief_invitations (brief_id, studio_id) SELECT $1, unnest($2::uuid[])
         ON CONFLICT DO NOTHING RETURNING studio_id`,
        [id, studioIds],
      );
      if (added.length && b.status === 'published') {
        await this.outbox.emit(em, 'brief.published', {
          recipients: { organisationIds: added.map((r) => r.studio_id), roles: [...STUDIO_ACTORS] },
          data: { briefId: id, briefTitle: b.title, broadcasterName: b.broadcaster_name },
        });
      }
      if (added.length) {
        await this.record(em, user, 'brief.invited', id, null, { studioIds: added.map((r) => r.studio_id) });
      }
      const all = await em.query<{ studio_id: string }[]>(
        'SELECT studio_id FROM brief_invitations WHERE brief_id = $1 ORDER BY created_at, studio_id',
        [id],
      );
      return { briefId: id, studioIds: all.map((r) => r.studio_id) };
    });
  }

  /** Loads a brief the caller can see (404 otherwise), optionally locked FOR UPDATE. */
  async loadVisible(em: EntityManager, user: AuthUser, id: string, lock = false): Promise<LockedBrief> {
    const [row] = await em.query<LockedBrief[]>(
      `SELECT ${BRIEF_COLUMNS}, now() AS db_now FROM ${BRIEF_FROM}
        WHERE b.id = $4 AND ${VISIBLE} ${lock ? 'FOR UPDATE OF b' : ''}`,
      [...AccessService.callerParams(user), id],
    );
    if (!row) throw notFound('Brief not found');
    return row;
  }

  /** Studios with a stake in a brief: those that asked a question or hold a bid. */
  async interestedStudios(em: EntityManager, briefId: string): Promise<string[]> {
    const rows = await em.query<{ studio_id: string }[]>(
      `SELECT studio_id FROM questions WHERE brief_id = $1
       UNION SELECT studio_id FROM bids WHERE brief_id = $1 AND status <> 'withdrawn'`,
      [briefId],
    );
    return rows.map((r) => r.studio_id);
  }

  private async lockForManager(em: EntityManager, user: AuthUser, id: string): Promise<LockedBrief> {
    const b = await this.loadVisible(em, user, id, true);
    this.access.assertOwnerRole(user, b.broadcaster_id, BRIEF_MANAGERS, 'Brief not found');
    return b;
  }

  private async read(em: EntityManager, user: AuthUser, id: string): Promise<BriefDto> {
    const row = await this.loadVisible(em, user, id);
    const amendments = await em.query<
      { id: string; changes: Record<string, unknown>; reason: string; created_at: Date }[]
    >(
      'SELECT id, changes, reason, created_at FROM brief_amendments WHERE brief_id = $1 ORDER BY created_at, id',
      [id],
    );
    return toBriefDto(
      row,
      amendments.map((a): AmendmentDto => ({
        id: a.id,
        changes: a.changes,
        reason: a.reason,
        createdAt: a.created_at.toISOString(),
      })),
      user,
    );
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

  // --- Owner methods for the award (contracts' AwardService and ContractsService), each in the
  // --- caller's transaction; SQL moved verbatim from contracts (issue 12).

  /** `SELECT status, title, broadcaster_id FROM briefs WHERE id = $1 FOR UPDATE`. */
  async lockForAward(
    em: EntityManager,
    briefId: string,
  ): Promise<{ status: string; title: string; broadcaster_id: string } | undefined> {
    const [brief] = await em.query<{ status: string; title: string; broadcaster_id: string }[]>(
      'SELECT status, title, broadcaster_id FROM briefs WHERE id = $1 FOR UPDATE',
      [briefId],
    );
    return brief;
  }

  /** `UPDATE briefs SET status = 'awarded', updated_at = now() WHERE id = $1`. */
  async markAwarded(em: EntityManager, briefId: string): Promise<void> {
    await em.query(`UPDATE briefs SET status = 'awarded', updated_at = now() WHERE id = $1`, [briefId]);
  }

  /** The rights and delivery spec a contract is drafted from. */
  async contractTerms(
    em: EntityManager,
    briefId: string,
  ): Promise<{ rights: unknown; delivery_spec: unknown } | undefined> {
    const [brief] = await em.query<{ rights: unknown; delivery_spec: unknown }[]>(
      'SELECT rights, delivery_spec FROM briefs WHERE id = $1',
      [briefId],
    );
    return brief;
  }

  // --- Owner methods for the bids module (it may not name `briefs` in its SQL).

  /**
   * For a bid write: locks the brief FOR SHARE (amendments and the close wait for the bid, and
   * the bid for them), then reads its bid terms and whether the window is open. clock_timestamp(),
   * read after the lock: a write that waited on the close sees it closed. Undefined: no brief.
   */
  async lockOpenBrief(
    em: EntityManager,
    briefId: string,
  ): Promise<
    { currency: string; budget_max: string | null; domestic_only: boolean; open: boolean } | undefined
  > {
    await em.query('SELECT 1 FROM briefs WHERE id = $1 FOR SHARE', [briefId]);
    const [b] = await em.query<
      { currency: string; budget_max: string | null; domestic_only: boolean; open: boolean }[]
    >(
      `SELECT currency, budget_max, domestic_only,
              status = 'published' AND bids_close_at > clock_timestamp() AS open
         FROM briefs WHERE id = $1`,
      [briefId],
    );
    return b;
  }

  /** Whether the brief's bid deadline has passed (database clock); false for no brief. */
  async deadlinePassed(em: EntityManager, briefId: string): Promise<boolean> {
    const [b] = await em.query<{ past: boolean }[]>(
      'SELECT bids_close_at IS NOT NULL AND bids_close_at <= now() AS past FROM briefs WHERE id = $1',
      [briefId],
    );
    return b?.past ?? false;
  }

  /** Whether the brief is published and past its deadline, i.e. its closing is due (no lock). */
  async closeDue(em: EntityManager, briefId: string): Promise<boolean> {
    const [due] = await em.query<{ due: boolean }[]>(
      `SELECT status = 'published' AND bids_close_at <= now() AS due FROM briefs WHERE id = $1`,
      [briefId],
    );
    return due?.due ?? false;
  }

  /** The brief locked FOR UPDATE, for recording its closing. */
  async lockForClose(
    em: EntityManager,
    briefId: string,
  ): Promise<{ status: string; title: string; broadcaster_id: string; bids_close_at: Date } | undefined> {
    const [b] = await em.query<
      { status: string; title: string; broadcaster_id: string; bids_close_at: Date }[]
    >('SELECT status, title, broadcaster_id, bids_close_at FROM briefs WHERE id = $1 FOR UPDATE', [briefId]);
    return b;
  }

  /** Records the closing at the deadline (the caller holds the row lock and saw it published). */
  async markClosed(em: EntityManager, briefId: string): Promise<void> {
    await em.query(
      `UPDATE briefs SET status = 'closed', closed_at = now(), updated_at = now() WHERE id = $1`,
      [briefId],
    );
  }

  /**
   * For a scheduled deadline event: whether `bidsCloseAt` is still the brief's deadline, whether
   * the window is still open, and its title.
   */
  async deadlineState(
    em: EntityManager,
    briefId: string,
    bidsCloseAt: string,
  ): Promise<{ current: boolean; open: boolean; title: string } | undefined> {
    const [b] = await em.query<{ current: boolean; open: boolean; title: string }[]>(
      `SELECT bids_close_at = $2::timestamptz AS current, status = 'published' AND bids_close_at > now() AS open, title
         FROM briefs WHERE id = $1`,
      [briefId, bidsCloseAt],
    );
    return b;
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
  budget_min: null,
  budget_max: null,
  rights: null,
  delivery_spec: null,
  questions_close_at: null,
  bids_close_at: null,
  delivery_due_at: null,
  criteria: [],
} as unknown as BriefRow;
