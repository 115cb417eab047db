import type { AuthUser } from '../../shared/auth/auth-user';
import type { BriefStatus } from './brief-status';
import type {
  AmendmentDto,
  AudioLanguageDto,
  BriefDto,
  BriefFormat,
  BriefOriginDto,
  BriefSummaryDto,
  CriterionDto,
} from './dto/brief.dto';
import { money } from '../../shared/money';

export interface BriefRow {
  id: string;
  broadcaster_id: string;
  broadcaster_name: string;
  status: BriefStatus;
  stored_status: BriefStatus;
  title: string;
  synopsis: string | null;
  genre: string | null;
  format: BriefFormat | null;
  episodes: number | null;
  episode_minutes: number | null;
  languages: string[];
  audio_languages: AudioLanguageDto[];
  budget_min: string | null;
  budget_max: string | null;
  currency: string;
  rights: BriefDto['rights'];
  domestic_only: boolean;
  delivery_spec: BriefDto['deliverySpec'];
  questions_close_at: Date | null;
  bids_close_at: Date | null;
  delivery_due_at: Date | null;
  criteria: CriterionDto[];
  visibility: 'open' | 'invited';
  published_at: Date | null;
  cancel_reason: string | null;
  origin_idea_id: string | null;
  origin_credit_name: string | null;
  bid_count: number;
  /** Whether bidsCloseAt has passed by the database clock. */
  bids_closed: boolean;
  created_at: Date;
  updated_at: Date;
  cursor_ts: string;
}

const iso = (d: Date | null): string | null => d?.toISOString() ?? null;

/** Who reads the brief; without one (audit snapshots of the broadcaster's own changes) all is shown. */
export type BriefViewer = Pick<AuthUser, 'organisationId' | 'organisationKind'>;

/**
 * How contested a tender is stays with its broadcaster and the operator until bidsCloseAt;
 * competing studios and other broadcasters get null (GET /briefs/{id}).
 */
function visibleBidCount(r: BriefRow, viewer: BriefViewer | undefined): number | null {
  const seesAlways =
    !viewer || viewer.organisationKind === 'platform' || viewer.organisationId === r.broadcaster_id;
  return seesAlways || r.bids_closed ? r.bid_count : null;
}

export function toBriefSummary(r: BriefRow, viewer?: BriefViewer): BriefSummaryDto {
  return {
    id: r.id,
    status: r.status,
    broadcaster: { id: r.broadcaster_id, name: r.broadcaster_name },
    title: r.title,
    synopsis: r.synopsis,
    genre: r.genre,
    format: r.format,
    episodes: r.episodes,
    episodeMinutes: r.episode_minutes,
    languages: r.languages,
    audioLanguages: r.audio_languages,
    budget:
      r.budget_min === null || r.budget_max === null
        ? null
        : { min: money(r.budget_min, r.currency), max: money(r.budget_max, r.currency) },
    rights: r.rights,
    domesticOnly: r.domestic_only,
    deliverySpec: r.delivery_spec,
    questionsCloseAt: iso(r.questions_close_at),
    bidsCloseAt: iso(r.bids_close_at),
    deliveryDueAt: iso(r.delivery_due_at),
    criteria: r.criteria,
    visibility: r.visibility,
    publishedAt: iso(r.published_at),
    cancelReason: r.cancel_reason,
    bidCount: visibleBidCount(r, viewer),
    origin:
      r.origin_idea_id === null
        ? null
        : {
            ideaId: r.origin_idea_id,
            credit: r.origin_credit_name === null ? null : { name: r.origin_credit_name },
          },
    createdAt: r.created_at.toISOString(),
    updatedAt: r.updated_at.toISOString(),
  };
}

export function toBriefDto(r: BriefRow, amendments: AmendmentDto[], viewer: BriefViewer): BriefDto {
  return { ...toBriefSummary(r, viewer), amendments };
}

/**
 * A brief as the audit log keeps it: the credited originator's name is personal data, erasable on
 * request, and the hash-chained log cannot forget it; the idea's id stays.
 */
export function auditSnapshot<T extends { origin: BriefOriginDto | null }>(
  b: T,
): Omit<T, 'origin'> & { origin: { ideaId: string } | null } {
  return { ...b, origin: b.origin && { ideaId: b.origin.ideaId } };
}
