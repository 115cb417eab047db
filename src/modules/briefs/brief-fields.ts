import { CommonErrors } from '../../shared/errors/common.errors';
import { DomainError } from '../../shared/errors/domain-error';
import type { BriefState } from './brief-rules';
import type { BriefRow } from './brief.mapper';
import { BriefErrors } from './briefs.errors';
import type { AudioLanguageDto, BriefFieldsDto } from './dto/brief.dto';

type Fields = Partial<BriefFieldsDto>;

/**
 * A field sent as null is refused: the DTOs' optional fields let null through, and null would
 * clear a field a brief needs (a NOT NULL column, or a published brief's terms).
 */
export function assertNoNulls(f: Fields): void {
  const fields = Object.entries(f)
    .filter(([, v]) => v === null)
    .map(([k]) => k);
  if (fields.length) {
    throw new DomainError(CommonErrors.VALIDATION_FAILED, `${fields.join(', ')}: must not be null`, {
      errors: fields.map((field) => ({ field, message: `${field} must not be null` })),
    });
  }
}

/** Column values for the fields present in a create/patch/amendment body. */
export function toColumns(f: Fields): Record<string, unknown> {
  assertNoNulls(f);
  const c: Record<string, unknown> = {};
  const set = (col: string, v: unknown): void => {
    c[col] = v;
  };
  if (f.title !== undefined) set('title', f.title);
  if (f.synopsis !== undefined) set('synopsis', f.synopsis);
  if (f.genre !== undefined) set('genre', f.genre);
  if (f.format !== undefined) set('format', f.format);
  if (f.episodes !== undefined) set('episodes', f.episodes);
  if (f.episodeMinutes !== undefined) set('episode_minutes', f.episodeMinutes);
  if (f.languages !== undefined) set('languages', f.languages);
  if (f.audioLanguages !== undefined)
    set('audio_languages', JSON.stringify(audioLanguagesOf(f.audioLanguages)));
  if (f.budget !== undefined) {
    if (f.budget.min.currency !== f.budget.max.currency) {
      throw new DomainError(BriefErrors.BUDGET_RANGE, 'budget.min and budget.max must use one currency');
    }
    set('budget_min', String(f.budget.min.amount));
    set('budget_max', String(f.budget.max.amount));
    set('currency', f.budget.min.currency);
  }
  if (f.rights !== undefined) set('rights', JSON.stringify(f.rights));
  if (f.domesticOnly !== undefined) set('domestic_only', f.domesticOnly);
  if (f.deliverySpec !== undefined) set('delivery_spec', JSON.stringify(f.deliverySpec));
  if (f.questionsCloseAt !== undefined) set('questions_close_at', f.questionsCloseAt);
  if (f.bidsCloseAt !== undefined) set('bids_close_at', f.bidsCloseAt);
  if (f.deliveryDueAt !== undefined) set('delivery_due_at', f.deliveryDueAt);
  if (f.criteria !== undefined) set('criteria', JSON.stringify(f.criteria));
  if (f.visibility !== undefined) set('visibility', f.visibility);
  return c;
}

/** Plain `{ language, minutes }` objects (not DTO instances), as stored and signed. */
export const audioLanguagesOf = (list: readonly AudioLanguageDto[]): AudioLanguageDto[] =>
  list.map(({ language, minutes }) => ({ language, minutes }));

/** `SET a = $n, b = $n+1 …` for the given columns, parameters starting after `offset`. */
export function setClause(
  columns: Record<string, unknown>,
  offset: number,
): { sql: string; params: unknown[] } {
  const keys = Object.keys(columns);
  if (!keys.length) throw new DomainError(CommonErrors.VALIDATION_FAILED, 'Nothing to change');
  return {
    sql: keys.map((k, i) => `${k} = $${offset + i + 1}`).join(', '),
    params: keys.map((k) => columns[k]),
  };
}

export function stateOf(r: BriefRow): BriefState {
  return {
    title: r.title,
    synopsis: r.synopsis,
    genre: r.genre,
    format: r.format,
    episodes: r.episodes,
    episodeMinutes: r.episode_minutes,
    languages: r.languages,
    audioLanguages: r.audio_languages,
    budgetMin: r.budget_min,
    budgetMax: r.budget_max,
    rights: r.rights,
    deliverySpec: r.delivery_spec,
    questionsCloseAt: r.questions_close_at,
    bidsCloseAt: r.bids_close_at,
    deliveryDueAt: r.delivery_due_at,
    criteria: r.criteria,
  };
}

/** The state a brief would have with the body applied (for checking before writing). */
export function applyFields(s: BriefState, f: Fields): BriefState {
  assertNoNulls(f);
  const date = (v: string | undefined, was: Date | null): Date | null =>
    v === undefined ? was : new Date(v);
  return {
    title: f.title ?? s.title,
    synopsis: f.synopsis ?? s.synopsis,
    genre: f.genre ?? s.genre,
    format: f.format ?? s.format,
    episodes: f.episodes ?? s.episodes,
    episodeMinutes: f.episodeMinutes ?? s.episodeMinutes,
    languages: f.languages ?? s.languages,
    audioLanguages: f.audioLanguages ?? s.audioLanguages,
    budgetMin: f.budget ? String(f.budget.min.amount) : s.budgetMin,
    budgetMax: f.budget ? String(f.budget.max.amount) : s.budgetMax,
    rights: f.rights ?? s.rights,
    deliverySpec: f.deliverySpec ?? s.deliverySpec,
    questionsCloseAt: date(f.questionsCloseAt, s.questionsCloseAt),
    bidsCloseAt: date(f.bidsCloseAt, s.bidsCloseAt),
    deliveryDueAt: date(f.deliveryDueAt, s.deliveryDueAt),
    criteria: f.criteria ?? s.criteria,
  };
}
