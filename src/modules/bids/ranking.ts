import type { Money } from '../../shared/money';
import type { BidStatus } from './bid-status';
import type { RankingItemDto } from './dto/bid.dto';

export interface RankedBid {
  bidId: string;
  studio: { id: string; name: string };
  status: BidStatus;
  price: Money;
}

export interface Score {
  bidId: string;
  evaluatorId: string;
  criterion: string;
  score: number;
}

/** Evaluators "disagree" on a criterion when their scores are more than this apart. */
export const DISAGREEMENT_SPREAD = 4;

const round = (x: number): number => Math.round(x * 1000) / 1000;

/**
 * Weighted ranking. Each evaluator's score for a bid is the weighted mean of the criteria they
 * scored (weights renormalised over those criteria, so a partly scored bid is not penalised for
 * what is missing); a bid's score is the mean over its evaluators. Unscored bids come last;
 * ties go to the lower price.
 */
export function rank(
  criteria: { name: string; weight: number }[],
  bids: RankedBid[],
  scores: Score[],
): RankingItemDto[] {
  const weight = new Map(criteria.map((c) => [c.name, c.weight]));
  const items = bids.map((b): RankingItemDto => {
    const own = scores.filter((s) => s.bidId === b.bidId && weight.has(s.criterion));
    const byEvaluator = new Map<string, Score[]>();
    for (const s of own) byEvaluator.set(s.evaluatorId, [...(byEvaluator.get(s.evaluatorId) ?? []), s]);
    const perEvaluator = [...byEvaluator.values()].map((list) => {
      const w = list.reduce((sum, s) => sum + weight.get(s.criterion)!, 0);
      return list.reduce((sum, s) => sum + s.score * weight.get(s.criterion)!, 0) / w;
    });
    const disagreements = criteria
      .map((c) => c.name)
      .filter((name) => {
        const values = own.filter((s) => s.criterion === name).map((s) => s.score);
        return values.length > 1 && Math.max(...values) - Math.min(...values) > DISAGREEMENT_SPREAD;
      });
    return {
      bidId: b.bidId,
      studio: b.studio,
      status: b.status,
      price: b.price,
      weightedScore: perEvaluator.length
        ? round(perEvaluator.reduce((a, x) => a + x, 0) / perEvaluator.length)
        : null,
      evaluators: perEvaluator.length,
      scores: own.map((s) => ({ evaluatorId: s.evaluatorId, criterion: s.criterion, score: s.score })),
      disagreements,
    };
  });
  return items.sort((a, b) => compareRanking(rankingKey(a), rankingKey(b)));
}

/** An item's place in the ranking order (and the ranking list's cursor). */
export interface RankingKey {
  weightedScore: number | null;
  /** Minor units. */
  price: number;
  bidId: string;
}

export const rankingKey = (item: RankingItemDto): RankingKey => ({
  weightedScore: item.weightedScore,
  price: item.price.amount,
  bidId: item.bidId,
});

/** The ranking order: higher score first, unscored last, then lower price, then bid id. */
export function compareRanking(a: RankingKey, b: RankingKey): number {
  return (
    (b.weightedScore ?? -1) - (a.weightedScore ?? -1) || a.price - b.price || a.bidId.localeCompare(b.bidId)
  );
}
