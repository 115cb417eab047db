import { DomainError } from '../../../shared/errors/domain-error';
import { isValidKzBin } from '../../organisations/bin';
import { LocalContentErrors } from './local-content.errors';
import {
  contractFigures,
  isDomestic,
  kazakhMinutes,
  localContentFigures,
  minutesNeeded,
  share,
  type CountedContract,
} from './local-content';

/** The first valid BIN with these 11 digits (the check digit is computed, not assumed). */
const BIN = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']
  .map((d) => `12345678901${d}`)
  .find(isValidKzBin)!;
const validBinForTest = (): string => BIN;

let n = 0;
function contract(over: Partial<CountedContract> = {}): CountedContract {
  n += 1;
  return {
    contractId: `c${n}`,
    briefId: `b${n}`,
    status: 'active',
    studio: { id: `s${n}`, name: 'Studio', country: 'KZ', bin: validBinForTest() },
    signedAt: new Date('2025-03-01T10:00:00Z'),
    episodes: 10,
    episodeMinutes: 50,
    audioLanguages: [{ language: 'kk', minutes: 50 }],
    value: { amount: '1000', currency: 'KZT' },
    milestones: 3,
    milestonesAccepted: 0,
    ...over,
  };
}

describe('local content arithmetic', () => {
  describe('minutesNeeded', () => {
    it('applies both formulas and rounds up to whole minutes', () => {
      // p = 0.55, T = 1000, K = 300: p·T − K = 250; all new 250 / 0.45 = 555.6 → 556
      expect(minutesNeeded(0.55, 1000, 300)).toEqual({ allNew: 556, replacement: 250 });
      // p = 0.6, T = 777, K = 100: 466.2 − 100 = 366.2 → 367; / 0.4 = 915.5 → 916
      expect(minutesNeeded(0.6, 777, 100)).toEqual({ allNew: 916, replacement: 367 });
    });

    it('takes the share exactly, not as its nearest double (0.55 · 100 is 55, not 55.00000000000001)', () => {
      expect(Math.ceil(0.55 * 100)).toBe(56); // the trap: floating point would round 55 up to 56
      expect(minutesNeeded(0.55, 100, 0)).toEqual({ allNew: 123, replacement: 55 });
      expect(minutesNeeded(0.55, 660, 0)).toEqual({ allNew: 807, replacement: 363 });
      // exactly on the target: nothing needed
      expect(minutesNeeded(0.55, 100, 55)).toEqual({ allNew: 0, replacement: 0 });
      expect(minutesNeeded(0.6, 100, 60)).toEqual({ allNew: 0, replacement: 0 });
    });

    it('needs nothing when K ≥ p·T (never a negative number)', () => {
      expect(minutesNeeded(0.55, 1000, 551)).toEqual({ allNew: 0, replacement: 0 });
      expect(minutesNeeded(0.55, 1000, 1000)).toEqual({ allNew: 0, replacement: 0 });
    });

    it('needs nothing with nothing commissioned (T = 0)', () => {
      expect(minutesNeeded(0.55, 0, 0)).toEqual({ allNew: 0, replacement: 0 });
    });

    it('at p = 1: all-new minutes cannot reach the target (null) unless everything is Kazakh', () => {
      expect(minutesNeeded(1, 1000, 400)).toEqual({ allNew: null, replacement: 600 });
      expect(minutesNeeded(1, 1000, 1000)).toEqual({ allNew: 0, replacement: 0 });
      expect(minutesNeeded(1, 0, 0)).toEqual({ allNew: 0, replacement: 0 });
    });

    it('rounds a gap of a fraction of a minute up to one minute', () => {
      // p·T − K = 0.55 · 3 − 1 = 0.65 → 1; / 0.45 = 1.44 → 2
      expect(minutesNeeded(0.55, 3, 1)).toEqual({ allNew: 2, replacement: 1 });
    });
  });

  describe('share', () => {
    it('rounds half up to 4 decimals, and is null of nothing', () => {
      expect(share(1, 3)).toBe(0.3333);
      expect(share(2, 3)).toBe(0.6667);
      expect(share(1, 8)).toBe(0.125);
      expect(share(1, 20000)).toBe(0.0001); // 0.00005 rounds up
      expect(share(0, 5)).toBe(0);
      expect(share(5, 5)).toBe(1);
      expect(share(0, 0)).toBeNull();
    });
  });

  describe('per contract', () => {
    it('counts only the Kazakh audio minutes of a multilingual programme', () => {
      expect(
        kazakhMinutes(6, [
          { language: 'kk', minutes: 30 },
          { language: 'ru', minutes: 14 },
        ]),
      ).toBe(180);
    });

    it('counts no Kazakh minutes for a Russian programme (Kazakh subtitles are not audio)', () => {
      expect(kazakhMinutes(8, [{ language: 'ru', minutes: 26 }])).toBe(0);
      expect(kazakhMinutes(8, [])).toBe(0);
    });

    it('is domestic only for a KZ studio whose BIN has a right check digit', () => {
      const bin = validBinForTest();
      const wrong = bin.slice(0, 11) + String((Number(bin[11]) + 1) % 10);
      expect(isDomestic({ country: 'KZ', bin })).toBe(true);
      expect(isDomestic({ country: 'KZ', bin: wrong })).toBe(false);
      expect(isDomestic({ country: 'KZ', bin: null })).toBe(false);
      expect(isDomestic({ country: 'UZ', bin })).toBe(false);
    });

    it('is accepted when every milestone is, and not with none or some', () => {
      expect(contractFigures(contract({ milestones: 3, milestonesAccepted: 3 })).accepted).toBe(true);
      expect(contractFigures(contract({ milestones: 3, milestonesAccepted: 2 })).accepted).toBe(false);
      expect(contractFigures(contract({ milestones: 0, milestonesAccepted: 0 })).accepted).toBe(false);
    });

    it('has episodes × episodeMinutes minutes and its value as Money', () => {
      const f = contractFigures(
        contract({ episodes: 12, episodeMinutes: 26, value: { amount: '4500', currency: 'KZT' } }),
      );
      expect(f).toMatchObject({
        minutes: 312,
        kazakhMinutes: 12 * 50,
        value: { amount: 4500, currency: 'KZT' },
      });
    });
  });

  describe('localContentFigures', () => {
    it('adds minutes, spend and Kazakh minutes, split domestic / foreign, with the shares', () => {
      const figures = localContentFigures(
        [
          contract({ episodes: 10, episodeMinutes: 50, value: { amount: '1000', currency: 'KZT' } }), // 500, kk 500
          contract({
            episodes: 4,
            episodeMinutes: 25,
            audioLanguages: [{ language: 'ru', minutes: 25 }],
            studio: { id: 'f', name: 'Foreign', country: 'RU', bin: null },
            value: { amount: '300', currency: 'KZT' },
            milestonesAccepted: 3,
          }), // 100, kk 0
        ],
        0.55,
      );
      expect(figures.commissioned).toEqual({
        contracts: 2,
        minutes: 600,
        spend: { amount: 1300, currency: 'KZT' },
        domestic: { minutes: 500, spend: { amount: 1000, currency: 'KZT' } },
        foreign: { minutes: 100, spend: { amount: 300, currency: 'KZT' } },
        domesticShare: 0.8333,
        kazakhMinutes: 500,
        kazakhShare: 0.8333,
      });
      expect(figures.accepted).toEqual({ contracts: 1, minutes: 100, kazakhMinutes: 0, kazakhShare: 0 });
      expect(figures.minutesNeeded).toEqual({ allNew: 0, replacement: 0 });
    });

    it('gives zeros, null shares and the default currency for a year without contracts', () => {
      const figures = localContentFigures([], 0.6);
      expect(figures.commissioned).toMatchObject({
        minutes: 0,
        spend: { amount: 0, currency: 'KZT' },
        kazakhShare: null,
        domesticShare: null,
      });
      expect(figures.accepted.kazakhShare).toBeNull();
      expect(figures.minutesNeeded).toEqual({ allNew: 0, replacement: 0 });
    });

    it('has no minutes needed without a target', () => {
      expect(localContentFigures([contract()], null).minutesNeeded).toBeNull();
    });

    it('refuses to add spend in several currencies', () => {
      const mixed = (): unknown =>
        localContentFigures([contract(), contract({ value: { amount: '5', currency: 'USD' } })], 0.55);
      expect(mixed).toThrow(DomainError);
      expect(mixed).toThrow('KZT, USD');
      try {
        mixed();
      } catch (err) {
        expect((err as DomainError).def).toBe(LocalContentErrors.MIXED_CURRENCIES);
      }
    });
  });
});
