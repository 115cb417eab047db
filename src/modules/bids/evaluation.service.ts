import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import type { AuthUser } from '../../shared/auth/auth-user';
import { Policy } from '../../shared/auth/policies';
import { CommonErrors } from '../../shared/errors/common.errors';
import { DomainError } from '../../shared/errors/domain-error';
import {
  decodeKeyCursor,
  KEY_PATTERNS,
  toKeyPage,
  type Page,
  type PageQuery,
} from '../../shared/http/pagination';
import { money } from '../../shared/money';
import { AuditService } from '../audit/audit.service';
import { BriefsService } from '../briefs/briefs.service';
import { BidOpeningService } from './bid-opening.service';
import { bidLifecycle } from './bid-status';
import { toBidDto } from './bid.mapper';
import { BidErrors } from './bids.errors';
import { BidsRepository, type BidRow } from './bids.repository';
import { BidsService } from './bids.service';
import type { BidDto, EvaluatorScoresDto, RankingItemDto, ScoreDto } from './dto/bid.dto';
import { compareRanking, rank, rankingKey, type RankingKey } from './ranking';

/** A ranking cursor's score part: a weighted score (0..10, three decimals), empty when unscored. */
const RANKING_SCORE = /^(\d{1,2}(\.\d{1,3})?)?$/;

/** After the deadline: scores per evaluator, shortlist/reject, and the ranking. */
@Injectable()
export class EvaluationService {
  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly repo: BidsRepository,
    private readonly bids: BidsService,
    private readonly briefs: BriefsService,
    private readonly opening: BidOpeningService,
    private readonly audit: AuditService,
  ) {}

  /** Sets the caller's scores (0–10) for some criteria of a bid; other evaluators' stay. */
  async score(user: AuthUser, bidId: string, scores: ScoreDto[]): Promise<EvaluatorScoresDto> {
    return this.ds.transaction(async (em) => {
      const { bid, criteria } = await this.evaluable(em, user, bidId);
      const names = new Set(criteria.map((c) => c.name));
      const unknown = scores.filter((s) => !names.has(s.criterion));
      if (unknown.length) {
        throw new DomainError(
          BidErrors.UNKNOWN_CRITERION,
          `Unknown criteria: ${unknown.map((s) => s.criterion).join(', ')}`,
        );
      }
      if (new Set(scores.map((s) => s.criterion)).size !== scores.length) {
        throw new DomainError(CommonErrors.VALIDATION_FAILED, 'Each criterion at most once');
      }
      await this.repo.upsertScores(em, bidId, user.id, scores);
      const mine = await this.repo.scoresOf(em, bidId, user.id);
      await this.audit.record(em, {
        actorId: user.id,
        organisationId: user.organisationId,
        action: 'bid.scored',
        entityType: 'bid',
        entityId: bid.id,
        after: { scores: mine },
      });
      return { bidId, evaluatorId: user.id, scores: mine };
    });
  }

  shortlist(user: AuthUser, bidId: string, note?: string): Promise<BidDto> {
    return this.decide(user, bidId, 'shortlisted', note);
  }

  reject(user: AuthUser, bidId: string, note?: string): Promise<BidDto> {
    return this.decide(user, bidId, 'rejected', note);
  }

  /**
   * The ranking, computed over every counting bid of the brief (tens at most), then paged in
   * memory: the cursor is the last item's sort key (score, price, bid id), so the next page
   * starts after that key even when scores changed in between (a keyset, not a position).
   */
  async ranking(user: AuthUser, briefId: string, q: PageQuery): Promise<Page<RankingItemDto>> {
    const cursor = decodeKeyCursor(q.cursor, [RANKING_SCORE, KEY_PATTERNS.int, KEY_PATTERNS.uuid]);
    const after: RankingKey | null = cursor
      ? { weightedScore: cursor[0] ? Number(cursor[0]) : null, price: Number(cursor[1]), bidId: cursor[2]! }
      : null;
    const ranked = await this.rankAll(user, briefId);
    const rest = after ? ranked.filter((item) => compareRanking(rankingKey(item), after) > 0) : ranked;
    return toKeyPage(
      rest.slice(0, q.limit + 1),
      q.limit,
      (item) => item,
      (item) => {
        const k = rankingKey(item);
        return [k.weightedScore === null ? '' : String(k.weightedScore), k.price, k.bidId];
      },
    );
  }

  private async rankAll(user: AuthUser, briefId: string): Promise<RankingItemDto[]> {
    const em = this.ds.manager;
    const brief = await this.briefs.loadVisible(em, user, briefId);
    this.bids.assertEvaluator(user, brief.broadcaster_id);
    await this.opening.assertUnsealed(briefId);
    const bids = await this.repo.rankingBids(em, briefId);
    const scores = await this.repo.scoresOfBrief(em, briefId);
    return rank(
      brief.criteria,
      bids.map((b) => ({
        bidId: b.id,
        studio: { id: b.studio_id, name: b.studio_name },
        status: b.status,
        price: money(b.price_amount, b.currency),
      })),
      scores.map((s) => ({
        bidId: s.bid_id,
        evaluatorId: s.evaluator_id,
        criterion: s.criterion,
        score: s.score,
      })),
    );
  }

  private async decide(
    user: AuthUser,
    bidId: string,
    to: 'shortlisted' | 'rejected',
    note?: string,
  ): Promise<BidDto> {
    return this.ds.transaction(async (em) => {
      const { bid } = await this.evaluable(em, user, bidId);
      bidLifecycle.assert(bid.status, to);
      await this.repo.decide(em, bidId, to, note ?? null);
      await this.audit.record(em, {
        actorId: user.id,
        organisationId: user.organisationId,
        action: `bid.${to}`,
        entityType: 'bid',
        entityId: bidId,
        before: { status: bid.status },
        after: { status: to, note: note ?? null },
      });
      return toBidDto({ ...bid, status: to, decision_note: note ?? null });
    });
  }

  /** A bid the caller may evaluate now: their broadcaster's, after the deadline, before the award. */
  private async evaluable(
    em: EntityManager,
    user: AuthUser,
    bidId: string,
  ): Promise<{ bid: BidRow; criteria: { name: string; weight: number }[] }> {
    if (user.role === 'operator' || !Policy.ManageBriefs.allows(user)) {
      throw new DomainError(CommonErrors.FORBIDDEN, 'Evaluation is for commissioners and admins');
    }
    const bid = await this.bids.requireBid(em, user, bidId, 'evaluate', { lock: true });
    const brief = await this.briefs.loadVisible(em, user, bid.brief_id);
    if (brief.status !== 'closed') {
      throw new DomainError(BidErrors.BRIEF_NOT_CLOSED, `The brief is ${brief.status}: evaluation is over`);
    }
    return { bid, criteria: brief.criteria };
  }
}
