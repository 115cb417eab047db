import type { ResourceAccess } from '../../shared/auth/access';
import type { AuthUser } from '../../shared/auth/auth-user';
import { Policy } from '../../shared/auth/policies';
import type { PayoutRow, PayoutsRepository } from './repositories/payouts.repository';

export type PayoutAction = 'read' | 'approve' | 'markPaid';

/** Whether the caller pays this payout: a finance user of its broadcaster. */
const payer = (user: AuthUser, p: PayoutRow): boolean =>
  p.broadcaster_id === user.organisationId && Policy.FinanceForBroadcaster.allows(user);

/**
 * Payouts are seen by the finance users of both parties (payer and payee); only the payer's
 * finance users approve and mark paid. Anyone else: 404.
 */
export const payoutAccess = (repo: PayoutsRepository): ResourceAccess<PayoutRow, PayoutAction> => ({
  noun: 'Payout',
  load: (em, user, id, lock) => repo.findVisible(em, user.organisationId, id, lock),
  actions: { read: Policy.Finance, approve: payer, markPaid: payer },
});
