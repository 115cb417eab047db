import { defineLifecycle } from '../../shared/lifecycle';
import { IdeaErrors } from './ideas.errors';

export const IDEA_CALL_STATUSES = ['draft', 'open', 'closed', 'cancelled'] as const;
export type IdeaCallStatus = (typeof IDEA_CALL_STATUSES)[number];

/** The allowed moves of an idea call (the CHECK constraint lists the same statuses). */
export const ideaCallLifecycle = defineLifecycle<IdeaCallStatus>(
  'idea call',
  IDEA_CALL_STATUSES,
  {
    draft: ['open', 'cancelled'],
    open: ['closed', 'cancelled'],
    closed: [],
    cancelled: [],
  },
  IdeaErrors.IDEA_CALL_STATE_CONFLICT,
);

const column = (alias: string | undefined, name: string): string => (alias ? `${alias}.${name}` : name);

/** SQL: the call is open and its deadline has not passed by the database clock. */
export const callOpenSql = (alias?: string): string =>
  `(${column(alias, 'status')} = 'open' AND ${column(alias, 'closes_at')} > now())`;

/** SQL: the call is stored open but its deadline has passed (database clock): closed in effect. */
export const callDeadlinePassedSql = (alias?: string): string =>
  `(${column(alias, 'status')} = 'open' AND ${column(alias, 'closes_at')} <= now())`;

/** SQL for a call's status as of the database clock: open turns closed at closes_at. */
export const callEffectiveStatusSql = (alias: string): string =>
  `(CASE WHEN ${callDeadlinePassedSql(alias)} THEN 'closed' ELSE ${alias}.status END)`;
