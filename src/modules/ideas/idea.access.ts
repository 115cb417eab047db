import type { ResourceAccess } from '../../shared/auth/access';
import { Policy } from '../../shared/auth/policies';
import type { IdeaRow, IdeasRepository } from './repositories/ideas.repository';

/** What a caller does with an idea: read it, or moderate it (answer, convert…). */
export type IdeaAction = 'read' | 'moderate';

/**
 * An idea is visible to its call's broadcaster's users only (everyone else: 404; the public reads
 * public ideas through the public routes); moderating needs a commissioner or admin (403).
 */
export function ideaAccess(repo: IdeasRepository): ResourceAccess<IdeaRow, IdeaAction> {
  return {
    noun: 'Idea',
    load: (em, user, id, lock) =>
      user.organisationKind === 'broadcaster'
        ? repo.findForBroadcaster(em, user.organisationId, id, lock)
        : Promise.resolve(undefined),
    actions: { read: Policy.AnyUser, moderate: Policy.ManageBriefs },
  };
}
