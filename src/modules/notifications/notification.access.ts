import type { ResourceAccess } from '../../shared/auth/access';
import { Policy } from '../../shared/auth/policies';
import type { NotificationsRepository } from './notifications.repository';

export type NotificationAction = 'markRead';

/** A notification is its user's alone: anyone else's is not visible (404). */
export const notificationAccess = (
  repo: NotificationsRepository,
): ResourceAccess<{ id: string }, NotificationAction> => ({
  noun: 'Notification',
  load: (em, user, id, lock) => repo.findOwn(em, id, user.id, lock),
  actions: { markRead: Policy.AnyUser },
});
