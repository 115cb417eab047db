import { buildRelease, majorUnits } from './ocds-release.builder';
import type { ProcessFacts } from './ocds.read-model';

const at = (s: string): Date => new Date(s);

function facts(overrides: Partial<ProcessFacts> = {}): ProcessFacts {
  return {
    at: at('2025-03-01T10:00:00.000Z'),
    brief: {
      id: 'b1',
      title: 'Dala',
      synopsis: '  ',
      genre: 'documentary',
      format: 'documentary',
      episodes: 6,
      episodeMinutes: 44,
      budgetMin: '5000000000',
      budgetMax: '12000000005',
      currency: 'KZT',
      visibility: 'invited',
      criteria: [
        { name: 'creative', weight: 70 },
        { name: 'price', weight: 30 },
      ],
      publishedAt: at('2025-03-01T10:00:00.000Z'),
      questionsCloseAt: at('2025-03-10T10:00:00.000Z'),
      bidsCloseAt: at('2025-03-20T10:00:00.000Z'),
      deliveryDueAt: null,
    },
    broadcaster: { id: 'o1', name: 'Qazaq TV', country: 'KZ', bin: '123456789012', publicBody: true },
    publishedByEvent: true,
    tenderers: null,
    amendments: [],
    contract: null,
    ...overrides,
  };
}

describe('majorUnits', () => {
  it('turns integer minor units into major units by integer arithmetic', () => {
    expect(majorUnits('150000000', 'KZT')).toBe(1500000);
    expect(majorUnits(5, 'KZT')).toBe(0.05);
    expect(majorUnits(150000010n, 'KZT')).toBe(1500000.1);
    expect(majorUnits('1234', 'JPY')).toBe(1234);
    expect(majorUnits('1234', 'KWD')).toBe(1.234);
    expect(majorUnits('-250', 'USD')).toBe(-2.5);
    expect(majorUnits('12000000005', 'KZT')).toBe(120000000.05);
  });
});

describe('buildRelease', () => {
  it('writes a tender release: no empty fields, invited briefs are limited, the weights listed', () => {
    const r = buildRelease({
      ocid: 'ocds-abc123-b1',
      id: 'brief.published-1',
      kind: 'tender',
      facts: facts(),
    });
    expect(Object.keys(r)).toEqual([
      'ocid',
      'id',
      'date',
      'tag',
      'initiationType',
      'parties',
      'buyer',
      'tender',
    ]);
    expect(r.tender).toMatchObject({
      procurementMethod: 'limited',
      awardCriteriaDetails: 'Weighted criteria: creative 70%, price 30%',
      value: { amount: 120000000.05, currency: 'KZT' },
      items: [
        {
          id: '1',
          description: 'documentary; 44 minutes an episode',
          quantity: 6,
          unit: { name: 'episode' },
        },
      ],
    });
    expect(r.tender).not.toHaveProperty('description'); // a blank synopsis is left out, not ""
    expect(r.tender).not.toHaveProperty('contractPeriod');
    expect(r.tender).not.toHaveProperty('amendments');
  });

  it('names tenderers only in the releases after the close', () => {
    const tenderers = [{ id: 's1', name: 'Studio', country: 'KZ', bin: null }];
    const amended = buildRelease({
      ocid: 'o',
      id: 'a',
      kind: 'tenderAmendment',
      facts: facts({ tenderers }),
    });
    expect(amended.tender).not.toHaveProperty('numberOfTenderers');
    expect(JSON.stringify(amended)).not.toContain('s1');
    const update = buildRelease({ ocid: 'o', id: 'u', kind: 'tenderUpdate', facts: facts({ tenderers }) });
    expect(update.tender).toMatchObject({ numberOfTenderers: 1, tenderers: [{ id: 's1', name: 'Studio' }] });
    expect(update.parties).toContainEqual({ id: 's1', name: 'Studio', roles: ['tenderer'] });
  });

  it('cancels the award of a contract ended before its signature', () => {
    const contract = {
      id: 'c1',
      bidId: 'bid1',
      studio: { id: 's1', name: 'Studio', country: 'KZ', bin: null },
      status: 'terminated' as const,
      value: '100',
      currency: 'KZT',
      createdAt: at('2025-03-21T00:00:00.000Z'),
      activatedAt: null,
      milestones: [],
    };
    const r = buildRelease({ ocid: 'o', id: 't', kind: 'contractTermination', facts: facts({ contract }) });
    expect(r.awards).toEqual([{ id: 'bid1', status: 'cancelled' }]);
    expect(r.contracts).toEqual([{ id: 'c1', awardID: 'bid1', status: 'cancelled' }]);
    expect(() => buildRelease({ ocid: 'o', id: 'x', kind: 'award', facts: facts() })).toThrow();
  });
});
