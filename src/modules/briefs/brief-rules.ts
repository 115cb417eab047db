import { DomainError, type ErrorDef, type FieldError } from '../../shared/errors/domain-error';
import { BriefErrors } from './briefs.errors';

/** The rule-relevant fields of a brief, as stored (dates as Date, amounts as bigint strings). */
export interface BriefState {
  title: string | null;
  synopsis: string | null;
  genre: string | null;
  format: string | null;
  episodes: number | null;
  episodeMinutes: number | null;
  languages: string[];
  audioLanguages: { language: string; minutes: number }[];
  budgetMin: string | null;
  budgetMax: string | null;
  rights: unknown;
  deliverySpec: unknown;
  questionsCloseAt: Date | null;
  bidsCloseAt: Date | null;
  deliveryDueAt: Date | null;
  criteria: { name: string; weight: number }[];
}

const REQUIRED: [keyof BriefState, string][] = [
  ['title', 'title'],
  ['synopsis', 'synopsis'],
  ['genre', 'genre'],
  ['format', 'format'],
  ['episodes', 'episodes'],
  ['episodeMinutes', 'episodeMinutes'],
  ['budgetMin', 'budget'],
  ['rights', 'rights'],
  ['deliverySpec', 'deliverySpec'],
  ['questionsCloseAt', 'questionsCloseAt'],
  ['bidsCloseAt', 'bidsCloseAt'],
  ['deliveryDueAt', 'deliveryDueAt'],
];

/** Everything publishing needs: complete, coherent, and open for at least the minimum window. */
export function assertPublishable(b: BriefState, now: Date, minBidWindowSeconds: number): void {
  const missing: FieldError[] = REQUIRED.filter(([k]) => b[k] === null || b[k] === '').map(([, field]) => ({
    field,
    message: `${field} is required to publish`,
  }));
  if (!b.languages.length) missing.push({ field: 'languages', message: 'languages is required to publish' });
  if (!b.criteria.length) missing.push({ field: 'criteria', message: 'criteria is required to publish' });
  if (missing.length) {
    throw new DomainError(
      BriefErrors.BRIEF_INCOMPLETE,
      `Missing: ${missing.map((m) => m.field).join(', ')}`,
      {
        errors: missing,
      },
    );
  }
  assertCoherent(b);
  const earliest = now.getTime() + minBidWindowSeconds * 1000;
  if (b.bidsCloseAt!.getTime() < earliest) {
    throw new DomainError(
      BriefErrors.BID_WINDOW_TOO_SHORT,
      `bidsCloseAt must be at least ${minBidWindowSeconds} s after publishing (not before ${new Date(earliest).toISOString()})`,
    );
  }
}

/** Rules that hold for a brief at any time once set: weights, deadline order, budget range. */
export function assertCoherent(b: BriefState): void {
  if (b.criteria.length) {
    const names = new Set(b.criteria.map((c) => c.name.toLowerCase()));
    const sum = b.criteria.reduce((s, c) => s + c.weight, 0);
    if (sum !== 100 || names.size !== b.criteria.length) {
      throw new DomainError(
        BriefErrors.CRITERIA_WEIGHTS,
        `Criteria need distinct names and weights summing to 100 (got ${sum})`,
      );
    }
  }
  assertAudioMinutes(b.audioLanguages, b.episodeMinutes, BriefErrors.AUDIO_MINUTES);
  if (b.budgetMin !== null && b.budgetMax !== null && BigInt(b.budgetMin) > BigInt(b.budgetMax)) {
    throw new DomainError(BriefErrors.BUDGET_RANGE);
  }
  const q = b.questionsCloseAt?.getTime();
  const c = b.bidsCloseAt?.getTime();
  const d = b.deliveryDueAt?.getTime();
  if ((q !== undefined && c !== undefined && q >= c) || (c !== undefined && d !== undefined && d <= c)) {
    throw new DomainError(BriefErrors.DEADLINE_ORDER);
  }
}

/**
 * The audio languages' minutes fit in an episode (briefs_audio_languages_check; the contracts'
 * audio languages against their brief's episodeMinutes alike): `error` otherwise.
 */
export function assertAudioMinutes(
  languages: readonly { minutes: number }[],
  episodeMinutes: number | null,
  error: ErrorDef,
): void {
  const total = languages.reduce((sum, l) => sum + l.minutes, 0);
  if (episodeMinutes !== null && total > episodeMinutes) {
    throw new DomainError(
      error,
      `The audio languages take ${total} minutes of an episode of ${episodeMinutes} minutes`,
    );
  }
}

/**
 * Amendment deadline rules: deadlines only move later, and an amendment made within the last
 * `noticeSeconds` before bidsCloseAt must move bidsCloseAt out by at least `noticeSeconds`.
 */
export function assertAmendmentDeadlines(
  before: BriefState,
  after: BriefState,
  now: Date,
  noticeSeconds: number,
): void {
  for (const k of ['questionsCloseAt', 'bidsCloseAt', 'deliveryDueAt'] as const) {
    const was = before[k]?.getTime();
    const will = after[k]?.getTime();
    if (was !== undefined && will !== undefined && will < was) {
      throw new DomainError(BriefErrors.DEADLINE_MOVED_EARLIER, `${k} can only move later`);
    }
  }
  const close = before.bidsCloseAt!.getTime();
  const notice = noticeSeconds * 1000;
  if (close - now.getTime() < notice && after.bidsCloseAt!.getTime() - close < notice) {
    throw new DomainError(
      BriefErrors.AMENDMENT_NOTICE,
      `Within ${noticeSeconds} s of the deadline an amendment must move bidsCloseAt out by at least ${noticeSeconds} s`,
    );
  }
}
