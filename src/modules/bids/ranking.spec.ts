import { compareRanking, rank, type RankedBid } from './ranking';

const criteria = [
  { name: 'creative', weight: 60 },
  { name: 'price', weight: 40 },
];
const bid = (id: string, amount: number): RankedBid => ({
  bidId: id,
  studio: { id: `s-${id}`, name: id },
  status: 'submitted',
  price: { amount, currency: 'KZT' },
});

describe('rank', () => {
  it('averages each evaluator’s weighted score and orders best first', () => {
    const result = rank(
      criteria,
      [bid('a', 100), bid('b', 100)],
      [
        { bidId: 'a', evaluatorId: 'e1', criterion: 'creative', score: 10 },
        { bidId: 'a', evaluatorId: 'e1', criterion: 'price', score: 5 }, // 8
        { bidId: 'a', evaluatorId: 'e2', criterion: 'creative', score: 5 },
        { bidId: 'a', evaluatorId: 'e2', criterion: 'price', score: 5 }, // 5
        { bidId: 'b', evaluatorId: 'e1', criterion: 'creative', score: 9 },
        { bidId: 'b', evaluatorId: 'e1', criterion: 'price', score: 9 }, // 9
      ],
    );
    expect(result.map((r) => [r.bidId, r.weightedScore, r.evaluators])).toEqual([
      ['b', 9, 1],
      ['a', 6.5, 2],
    ]);
    expect(result[1]!.disagreements).toEqual(['creative']); // 10 vs 5: spread 5 > 4
  });

  it('does not flag a spread of exactly 4', () => {
    const [r] = rank(
      criteria,
      [bid('a', 1)],
      [
        { bidId: 'a', evaluatorId: 'e1', criterion: 'creative', score: 7 },
        { bidId: 'a', evaluatorId: 'e2', criterion: 'creative', score: 3 },
      ],
    );
    expect(r!.disagreements).toEqual([]);
  });

  it('puts unscored bids last and breaks ties by the lower price', () => {
    const result = rank(
      criteria,
      [bid('unscored', 1), bid('dear', 200), bid('cheap', 100)],
      [
        { bidId: 'dear', evaluatorId: 'e1', criterion: 'creative', score: 6 },
        { bidId: 'cheap', evaluatorId: 'e1', criterion: 'creative', score: 6 },
      ],
    );
    expect(result.map((r) => r.bidId)).toEqual(['cheap', 'dear', 'unscored']);
    expect(result[2]!.weightedScore).toBeNull();
  });
});

describe('compareRanking (the ranking order and its cursor)', () => {
  it('puts higher scores first, unscored last, then the lower price, then the bid id', () => {
    const keys = [
      { weightedScore: null, price: 1, bidId: 'a' },
      { weightedScore: 5, price: 9, bidId: 'b' },
      { weightedScore: 5, price: 3, bidId: 'c' },
      { weightedScore: 7.5, price: 9, bidId: 'd' },
      { weightedScore: 5, price: 3, bidId: 'a' },
    ];
    expect([...keys].sort(compareRanking).map((k) => k.bidId)).toEqual(['d', 'a', 'c', 'b', 'a']);
    expect(compareRanking(keys[0]!, keys[0]!)).toBe(0);
  });
});
