import { defineLifecycle } from '../../shared/lifecycle';
import { IdeaErrors } from './ideas.errors';

export const IDEA_STATUSES = [
  'pending',
  'approved',
  'rejected',
  'shortlisted',
  'converted',
  'declined',
  'hidden',
  'withdrawn',
] as const;
export type IdeaStatus = (typeof IDEA_STATUSES)[number];

/**
 * The moderation lifecycle of an idea (product.md, "Ideas"). `hidden` is entered by a
 * commissioner or by three distinct public reports, and left by a commissioner's review;
 * `withdrawn` is the submitter's, through the e-mailed link.
 */
export const ideaLifecycle = defineLifecycle<IdeaStatus>(
  'idea',
  IDEA_STATUSES,
  {
    pending: ['approved', 'rejected', 'withdrawn'],
    approved: ['shortlisted', 'declined', 'hidden', 'withdrawn'],
    shortlisted: ['converted', 'declined'],
    hidden: ['approved'],
    rejected: [],
    converted: [],
    declined: [],
    withdrawn: [],
  },
  IdeaErrors.IDEA_STATE_CONFLICT,
);

/** Statuses the public sees (GET /public/idea-calls/{id}/ideas, votes, reports). */
export const PUBLIC_IDEA_STATUSES: readonly IdeaStatus[] = [
  'approved',
  'shortlisted',
  'converted',
  'declined',
];

/** SQL: the idea is publicly visible. */
export const ideaPublicSql = (alias: string): string =>
  `${alias}.status IN (${PUBLIC_IDEA_STATUSES.map((s) => `'${s}'`).join(', ')})`;

/** Statuses of an idea the broadcaster has approved (what "similar ideas" are drawn from). */
export const APPROVED_IDEA_STATUSES: readonly IdeaStatus[] = ['approved', 'shortlisted', 'converted'];

/** SQL: the idea is approved (approved, shortlisted or converted). */
export const ideaApprovedSql = (alias: string): string =>
  `${alias}.status IN (${APPROVED_IDEA_STATUSES.map((s) => `'${s}'`).join(', ')})`;
