import type { EntityManager } from 'typeorm';
import type { ResourceAccess } from '../../shared/auth/access';
import type { AuthUser } from '../../shared/auth/auth-user';
import { Policy } from '../../shared/auth/policies';
import { isNotFound } from '../../shared/errors/common.errors';
import type { BriefsService } from '../briefs/briefs.service';
import type { BidRow, BidsRepository } from './bids.repository';

/** `read`: see the bid; `evaluate`: score, shortlist or reject it (the brief's broadcaster). */
export type BidAction = 'read' | 'evaluate';

/**
 * Who reaches a bid. Visible: to its own studio, and to the brief's broadcaster and the operator
 * (a studio never sees another studio's bid: 404). Sealing (BIDS_SEALED before the deadline) and
 * "only bids that count" are checked after this by BidsService.requireBid, as they always were.
 */
export function bidAccess(repo: BidsRepository, briefs: BriefsService): ResourceAccess<BidRow, BidAction> {
  const own = (user: AuthUser, bid: BidRow): boolean => bid.studio_id === user.organisationId;
  return {
    noun: 'Bid',
    async load(em: EntityManager, user: AuthUser, id: string, lock: boolean): Promise<BidRow | undefined> {
      const bid = await repo.find(em, id, lock);
      if (!bid) return undefined;
      if (own(user, bid)) return bid;
      if (user.organisationKind === 'studio') return undefined;
      try {
        const brief = await briefs.loadVisible(em, user, bid.brief_id);
        if (brief.broadcaster_id !== user.organisationId && user.role !== 'operator') return undefined;
      } catch (err) {
        if (isNotFound(err)) return undefined;
        throw err;
      }
      return bid;
    },
    actions: {
      // Any member of the bidding studio; the broadcaster's commissioners and admins; the operator.
      read: (user, bid) => own(user, bid) || user.role === 'operator' || Policy.ManageBriefs.allows(user),
      // The broadcaster's commissioners and admins, never the bidder itself nor the operator.
      evaluate: (user, bid) =>
        !own(user, bid) && user.role !== 'operator' && Policy.ManageBriefs.allows(user),
    },
  };
}
