import type { ResourceAccess } from '../../shared/auth/access';
import { Policy } from '../../shared/auth/policies';
import type { IdeaCallRow, IdeaCallsRepository } from './repositories/idea-calls.repository';

/** What a caller does with an idea call: read it or manage it (its broadcaster's users). */
export type IdeaCallAction = 'read' | 'manage';

/**
 * An idea call is visible to its broadcaster's users only (everyone else: 404, the public
 * reads open calls through the public routes); managing it needs a commissioner or admin (403).
 */
export function ideaCallAccess(repo: IdeaCallsRepository): ResourceAccess<IdeaCallRow, IdeaCallAction> {
  return {
    noun: 'Idea call',
    load: (em, user, id, lock) =>
      user.organisationKind === 'broadcaster'
        ? repo.findOwn(em, user.organisationId, id, lock)
        : Promise.resolve(undefined),
    actions: { read: Policy.AnyUser, manage: Policy.ManageBriefs },
  };
}
