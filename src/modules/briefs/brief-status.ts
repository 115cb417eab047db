import { defineLifecycle } from '../../shared/lifecycle';
import { BriefErrors } from './briefs.errors';

export const BRIEF_STATUSES = ['draft', 'published', 'closed', 'awarded', 'cancelled'] as const;
export type BriefStatus = (typeof BRIEF_STATUSES)[number];

/** The allowed moves of a brief (the CHECK constraint lists the same statuses). */
export const briefLifecycle = defineLifecycle<BriefStatus>(
  'brief',
  BRIEF_STATUSES,
  {
    draft: ['published', 'cancelled'],
    published: ['closed', 'cancelled'],
    closed: ['awarded', 'cancelled'],
    awarded: [],
    cancelled: [],
  },
  BriefErrors.BRIEF_STATE_CONFLICT,
);

/** BRIEF_STATE_CONFLICT for a move the lifecycle does not list. */
export function assertTransition(from: BriefStatus, to: BriefStatus): void {
  briefLifecycle.assert(from, to);
}

const column = (alias: string | undefined, name: string): string => (alias ? `${alias}.${name}` : name);

/**
 * SQL: bids are open on the brief (`alias`, or the bare columns of a one-table query): it is
 * published and its deadline has not passed by the database clock.
 */
export const bidsOpenSql = (alias?: string): string =>
  `(${column(alias, 'status')} = 'published' AND ${column(alias, 'bids_close_at')} > now())`;

/** SQL: the brief is published but its deadline has passed (database clock): it is closed in effect. */
export const deadlinePassedSql = (alias?: string): string =>
  `(${column(alias, 'status')} = 'published' AND ${column(alias, 'bids_close_at')} <= now())`;

/** SQL for a brief's status as of the database clock: published turns closed at the deadline. */
export const effectiveStatusSql = (alias: string): string =>
  `(CASE WHEN ${deadlinePassedSql(alias)} THEN 'closed' ELSE ${alias}.status END)`;
