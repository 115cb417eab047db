import type { ResourceAccess } from '../../shared/auth/access';
import { Policy } from '../../shared/auth/policies';
import type { BriefsRepository, LockedBrief } from './repositories/briefs.repository';
import type { QuestionsRepository } from './repositories/questions.repository';

/** What a caller does with a brief: read it (anyone who sees it) or manage it (its broadcaster). */
export type BriefAction = 'read' | 'manage';

/**
 * A brief as reached for an action. Any brief the caller can see may be read; managing is
 * its own organisation's business: another organisation's brief is not found for managing,
 * as it always answered (404), and the owner without a managing role gets a 403.
 */
export function briefAccess(
  repo: BriefsRepository,
): Record<BriefAction, ResourceAccess<LockedBrief, BriefAction>> {
  const read: ResourceAccess<LockedBrief, BriefAction> = {
    noun: 'Brief',
    load: (em, user, id, lock) => repo.findVisible(em, user, id, lock),
    actions: { read: Policy.AnyUser, manage: Policy.ManageBriefs },
  };
  return {
    read,
    manage: {
      ...read,
      load: async (em, user, id, lock) => {
        const brief = await repo.findVisible(em, user, id, lock);
        return brief?.broadcaster_id === user.organisationId ? brief : undefined;
      },
    },
  };
}

export interface QuestionTarget {
  question: { id: string; brief_id: string; answered_at: Date | null };
  brief: LockedBrief;
}

/**
 * A question is reached through its brief: it is answered by the brief's broadcaster (404 for
 * everyone else, who do not see it as theirs to answer; 403 for the owner's other roles).
 */
export function questionAccess(
  questions: QuestionsRepository,
  briefs: BriefsRepository,
): ResourceAccess<QuestionTarget, 'answer'> {
  return {
    noun: 'Question',
    load: async (em, user, id, lock) => {
      const question = await questions.find(em, id, lock);
      if (!question) return undefined;
      const brief = await briefs.findVisible(em, user, question.brief_id);
      if (brief?.broadcaster_id !== user.organisationId) return undefined;
      return { question: { id, ...question }, brief };
    },
    actions: { answer: Policy.ManageBriefs },
  };
}
