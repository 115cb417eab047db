import type { AuthUser } from '../../shared/auth/auth-user';
import { effectiveStatusSql, type BriefStatus } from './brief-status';
import type { AmendmentDto, BriefDto, BriefFormat, BriefSummaryDto, CriterionDto } from './dto/brief.dto';
import { money } from '../../shared/money';
import { cursorTsSql } from '../../shared/http/pagination';

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
  bid_count: number;
  /** Whether bidsCloseAt has passed by the database clock. */
  bids_closed: boolean;
  created_at: Date;
  updated_at: Date;
  cursor_ts: string;
}

/** Columns of a brief row as BriefRow expects them, for a query over `briefs b`. */
export const BRIEF_COLUMNS = `b.id, b.broadcaster_id, bo.name AS broadcaster_name, ${effectiveStatusSql('b')} AS status,
  b.status AS stored_status, b.title, b.synopsis, b.genre, b.format, b.episodes, b.episode_minutes, b.languages,
  b.budget_min, b.budget_max, b.currency, b.rights, b.domestic_only, b.delivery_spec, b.questions_close_at,
  b.bids_close_at, b.delivery_due_at, b.criteria, b.visibility, b.published_at, b.cancel_reason,
  (SELECT count(*)::int FROM bids x WHERE x.brief_id = b.id AND x.status IN ('submitted', 'shortlisted', 'rejected', 'awarded')) AS bid_count,
  coalesce(b.bids_close_at <= now(), false) AS bids_closed,
  b.created_at, b.updated_at, ${cursorTsSql('b.created_at')} AS cursor_ts`;

export const BRIEF_FROM = `briefs b JOIN organisations bo ON bo.id = b.broadcaster_id`;

const iso = (d: Date | null): string | null => d?.toISOString() ?? null;

/** Who reads the brief; without one (audit snapshots of the broadcaster's own changes) all is shown. */
export type BriefViewer = Pick<AuthUser, 'organisationId' | 'organisationKind'>;

/**
 * How contested a tender is stays with its broadcaster and the operator until bidsCloseAt;
 * competing studios and other broadcasters get null (api.md, GET /briefs/{id}).
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
    createdAt: r.created_at.toISOString(),
    updatedAt: r.updated_at.toISOString(),
  };
}

export function toBriefDto(r: BriefRow, amendments: AmendmentDto[], viewer: BriefViewer): BriefDto {
  return { ...toBriefSummary(r, viewer), amendments };
}
