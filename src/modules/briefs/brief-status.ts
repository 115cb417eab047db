import { DomainError } from '../../shared/errors/domain-error';
import { BriefErrors } from './briefs.errors';

export const BRIEF_STATUSES = ['draft', 'published', 'closed', 'awarded', 'cancelled'] as const;
export type BriefStatus = (typeof BRIEF_STATUSES)[number];

/** The allowed moves of a brief (product.md "Brief"). */
export const BRIEF_TRANSITIONS: Record<BriefStatus, readonly BriefStatus[]> = {
  draft: ['published', 'cancelled'],
  published: ['closed', 'cancelled'],
  closed: ['awarded', 'cancelled'],
  awarded: [],
  cancelled: [],
};

export function canTransition(from: BriefStatus, to: BriefStatus): boolean {
  return BRIEF_TRANSITIONS[from].includes(to);
}

export function assertTransition(from: BriefStatus, to: BriefStatus): void {
  if (!canTransition(from, to)) {
    throw new DomainError(BriefErrors.BRIEF_STATE_CONFLICT, `A ${from} brief cannot become ${to}`);
  }
}

/** SQL for a brief's status as of the database clock: published turns closed at the deadline. */
export const effectiveStatusSql = (alias: string): string =>
  `(CASE WHEN ${alias}.status = 'published' AND ${alias}.bids_close_at <= now() THEN 'closed' ELSE ${alias}.status END)`;
