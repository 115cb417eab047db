import { DomainError } from '../../../shared/errors/domain-error';
import { DEFAULT_CURRENCY, money, type Money } from '../../../shared/money';
import { isValidKzBin } from '../../organisations/bin';
import { LocalContentErrors } from './local-content.errors';

// The arithmetic of the local-content report (pure; the SQL is local-content.read-model.ts).
// Minutes are integers; shares are K / T rounded half up to 4 decimals (null when T = 0); the
// minutes still needed are computed exactly (the target share as a decimal fraction, BigInt) and
// rounded up to whole minutes.

/** The language whose minutes the law counts (ISO 639-1). */
export const KAZAKH = 'kk';

/** A contract counted in the report, as the read model gives it. */
export interface CountedContract {
  contractId: string;
  briefId: string;
  status: string;
  studio: { id: string; name: string; country: string; bin: string | null };
  signedAt: Date;
  /** The brief's episodes and minutes per episode (contracts do not change them). */
  episodes: number;
  episodeMinutes: number;
  audioLanguages: { language: string; minutes: number }[];
  value: { amount: string; currency: string };
  milestones: number;
  milestonesAccepted: number;
}

/** One contract's figures. */
export interface ContractFigures {
  contractId: string;
  briefId: string;
  status: string;
  studio: { id: string; name: string };
  domestic: boolean;
  signedAt: string;
  episodes: number;
  episodeMinutes: number;
  audioLanguages: { language: string; minutes: number }[];
  /** episodes × episodeMinutes. */
  minutes: number;
  /** episodes × the minutes of Kazakh audio per episode. */
  kazakhMinutes: number;
  /** Every milestone accepted (accepted, invoiced or paid). */
  accepted: boolean;
  value: Money;
}

export interface MinutesNeeded {
  /** New Kazakh minutes to add: ⌈max(0, (p·T − K) / (1 − p))⌉; null when p = 1 and K < T. */
  allNew: number | null;
  /** Minutes to turn Kazakh: ⌈max(0, p·T − K)⌉. */
  replacement: number;
}

export interface LocalContentFigures {
  commissioned: {
    contracts: number;
    minutes: number;
    spend: Money;
    domestic: { minutes: number; spend: Money };
    foreign: { minutes: number; spend: Money };
    domesticShare: number | null;
    kazakhMinutes: number;
    kazakhShare: number | null;
  };
  accepted: { contracts: number; minutes: number; kazakhMinutes: number; kazakhShare: number | null };
  minutesNeeded: MinutesNeeded | null;
  contracts: ContractFigures[];
}

/** Domestic: a studio registered in Kazakhstan with a BIN whose check digit is right. */
export function isDomestic(studio: { country: string; bin: string | null }): boolean {
  return studio.country === 'KZ' && studio.bin !== null && isValidKzBin(studio.bin);
}

/**
 * Minutes of Kazakh audio in a programme: episodes × the `kk` minutes per episode. Subtitles are
 * not a language, and of a multilingual programme only the Kazakh minutes count.
 */
export function kazakhMinutes(
  episodes: number,
  audioLanguages: readonly { language: string; minutes: number }[],
): number {
  return episodes * (audioLanguages.find((l) => l.language === KAZAKH)?.minutes ?? 0);
}

/** part / whole rounded half up to 4 decimals; null for whole = 0. */
export function share(part: number, whole: number): number | null {
  if (whole === 0) return null;
  const p = BigInt(part);
  const w = BigInt(whole);
  return Number((p * 20000n + w) / (2n * w)) / 10000;
}

const SCALE = 10n ** 12n;
const ceilDiv = (n: bigint, d: bigint): bigint => (n + d - 1n) / d;

/**
 * The minutes still needed to reach the share `p` of Kazakh minutes, given T commissioned and K
 * Kazakh minutes: all new (Kazakh programmes added to T) or replacement (programmes of T turned
 * Kazakh). `p` is taken to 12 decimals, exactly (0.55 is 55/100, not its nearest double).
 */
export function minutesNeeded(p: number, total: number, kazakh: number): MinutesNeeded {
  const num = BigInt(p.toFixed(12).replace('.', ''));
  const gap = num * BigInt(total) - BigInt(kazakh) * SCALE; // (p·T − K) · SCALE
  const replacement = gap > 0n ? ceilDiv(gap, SCALE) : 0n;
  let allNew: bigint | null;
  if (gap <= 0n) allNew = 0n;
  else if (num >= SCALE)
    allNew = null; // p = 1: adding Kazakh minutes never removes the others
  else allNew = ceilDiv(gap, SCALE - num);
  return { allNew: allNew === null ? null : Number(allNew), replacement: Number(replacement) };
}

/** One contract's minutes, Kazakh minutes, domesticity and acceptance. */
export function contractFigures(c: CountedContract): ContractFigures {
  return {
    contractId: c.contractId,
    briefId: c.briefId,
    status: c.status,
    studio: { id: c.studio.id, name: c.studio.name },
    domestic: isDomestic(c.studio),
    signedAt: c.signedAt.toISOString(),
    episodes: c.episodes,
    episodeMinutes: c.episodeMinutes,
    audioLanguages: c.audioLanguages.map(({ language, minutes }) => ({ language, minutes })),
    minutes: c.episodes * c.episodeMinutes,
    kazakhMinutes: kazakhMinutes(c.episodes, c.audioLanguages),
    accepted: c.milestones > 0 && c.milestonesAccepted === c.milestones,
    value: money(c.value.amount, c.value.currency),
  };
}

/**
 * The report's figures over the contracts counted in a year, against the target share `target`
 * (null: the year has none). Spend adds contract values in one currency: contracts in several
 * are refused (MIXED_CURRENCIES) rather than added up.
 */
export function localContentFigures(
  counted: readonly CountedContract[],
  target: number | null,
): LocalContentFigures {
  const currencies = [...new Set(counted.map((c) => c.value.currency))].sort();
  if (currencies.length > 1) {
    throw new DomainError(
      LocalContentErrors.MIXED_CURRENCIES,
      `The contracts of this year are in ${currencies.join(', ')}`,
    );
  }
  const currency = currencies[0] ?? DEFAULT_CURRENCY;
  const contracts = counted.map(contractFigures);
  const sum = (of: ContractFigures[], f: (c: ContractFigures) => number): number =>
    of.reduce((s, c) => s + f(c), 0);
  const spend = (of: ContractFigures[]): Money =>
    money(
      of.reduce((s, c) => s + BigInt(c.value.amount), 0n),
      currency,
    );
  const domestic = contracts.filter((c) => c.domestic);
  const foreign = contracts.filter((c) => !c.domestic);
  const accepted = contracts.filter((c) => c.accepted);
  const total = sum(contracts, (c) => c.minutes);
  const kazakh = sum(contracts, (c) => c.kazakhMinutes);
  const acceptedMinutes = sum(accepted, (c) => c.minutes);
  const acceptedKazakh = sum(accepted, (c) => c.kazakhMinutes);
  const domesticMinutes = sum(domestic, (c) => c.minutes);
  return {
    commissioned: {
      contracts: contracts.length,
      minutes: total,
      spend: spend(contracts),
      domestic: { minutes: domesticMinutes, spend: spend(domestic) },
      foreign: { minutes: sum(foreign, (c) => c.minutes), spend: spend(foreign) },
      domesticShare: share(domesticMinutes, total),
      kazakhMinutes: kazakh,
      kazakhShare: share(kazakh, total),
    },
    accepted: {
      contracts: accepted.length,
      minutes: acceptedMinutes,
      kazakhMinutes: acceptedKazakh,
      kazakhShare: share(acceptedKazakh, acceptedMinutes),
    },
    minutesNeeded: target === null ? null : minutesNeeded(target, total, kazakh),
    contracts,
  };
}
