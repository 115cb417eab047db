import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import type { AuthUser } from '../../shared/auth/auth-user';
import { CommonErrors } from '../../shared/errors/common.errors';
import { DomainError } from '../../shared/errors/domain-error';
import { money } from '../../shared/money';
import { AuditService } from '../audit/audit.service';
import { BRIEF_MANAGERS, BriefsService } from '../briefs/briefs.service';
import { BidOpeningService } from './bid-opening.service';
import { assertBidTransition, LIVE_BID_STATUSES, type BidStatus } from './bid-status';
import { toBidDto, type BidRow } from './bid.mapper';
import { BidErrors } from './bids.errors';
import { BidsService } from './bids.service';
import type { BidDto, EvaluatorScoresDto, RankingItemDto, ScoreDto } from './dto/bid.dto';
import { rank } from './ranking';

/** After the deadline: scores per evaluator, shortlist/reject, and the ranking. */
@Injectable()
export class EvaluationService {
  constructor(
    @InjectDataSource() private readonly ds: DataSource,
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
      await em.query(
        `INSERT INTO bid_scores (bid_id, evaluator_id, criterion, score)
         SELECT $1, $2, c, s FROM unnest($3::text[], $4::int[]) AS t(c, s)
         ON CONFLICT ON CONSTRAINT bid_scores_pkey DO UPDATE SET score = excluded.score, updated_at = now()`,
        [bidId, user.id, scores.map((s) => s.criterion), scores.map((s) => s.score)],
      );
      const mine = await em.query<ScoreDto[]>(
        'SELECT criterion, score FROM bid_scores WHERE bid_id = $1 AND evaluator_id = $2 ORDER BY criterion',
        [bidId, user.id],
      );
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

  async ranking(user: AuthUser, briefId: string): Promise<RankingItemDto[]> {
    const brief = await this.briefs.loadVisible(this.ds.manager, user, briefId);
    this.bids.assertEvaluator(user, brief.broadcaster_id);
    await this.opening.assertUnsealed(briefId);
    const bids = await this.ds.query<
      {
        id: string;
        studio_id: string;
        studio_name: string;
        status: BidStatus;
        price_amount: string;
        currency: string;
      }[]
    >(
      `SELECT x.id, x.studio_id, so.name AS studio_name, x.status, x.price_amount, x.currency
         FROM bids x JOIN organisations so ON so.id = x.studio_id
        WHERE x.brief_id = $1 AND x.status = ANY($2::text[])`,
      [briefId, LIVE_BID_STATUSES],
    );
    const scores = await this.ds.query<
      { bid_id: string; evaluator_id: string; criterion: string; score: number }[]
    >(
      `SELECT s.bid_id, s.evaluator_id, s.criterion, s.score FROM bid_scores s JOIN bids x ON x.id = s.bid_id
        WHERE x.brief_id = $1 ORDER BY s.evaluator_id, s.criterion`,
      [briefId],
    );
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
      assertBidTransition(bid.status, to);
      await em.query('UPDATE bids SET status = $2, decision_note = $3, updated_at = now() WHERE id = $1', [
        bidId,
        to,
        note ?? null,
      ]);
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
    if (user.role === 'operator' || !BRIEF_MANAGERS.includes(user.role)) {
      throw new DomainError(CommonErrors.FORBIDDEN, 'Evaluation is for commissioners and admins');
    }
    const bid = await this.bids.readable(em, user, bidId, true);
    if (bid.studio_id === user.organisationId) throw new DomainError(CommonErrors.FORBIDDEN);
    const brief = await this.briefs.loadVisible(em, user, bid.brief_id);
    if (brief.status !== 'closed') {
      throw new DomainError(BidErrors.BRIEF_NOT_CLOSED, `The brief is ${brief.status}: evaluation is over`);
    }
    return { bid, criteria: brief.criteria };
  }
}
