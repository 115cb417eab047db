import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { AuthUser } from '../../shared/auth/auth-user';
import { Policy } from '../../shared/auth/policies';
import { DomainError } from '../../shared/errors/domain-error';
import { OutboxService } from '../../shared/outbox/outbox.service';
import { AuditService } from '../audit/audit.service';
import { BidOpeningService } from '../bids/bid-opening.service';
import { BidsService } from '../bids/bids.service';
import { BidErrors } from '../bids/bids.errors';
import { BriefsService } from '../briefs/briefs.service';
import { AccessService } from '../organisations/access.service';
import { ContractsService } from './contracts.service';

/**
 * Award lives here, not in `bids`: it creates the contract, and `contracts` sits above `bids`
 * in the module order. Exactly one award per brief, also under concurrent requests: the brief
 * row is locked first, and the partial unique index bids_one_awarded_per_brief and the unique
 * contracts_brief_key back it in the database.
 */
@Injectable()
export class AwardService {
  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly briefs: BriefsService,
    private readonly bids: BidsService,
    private readonly opening: BidOpeningService,
    private readonly contracts: ContractsService,
    private readonly access: AccessService,
    private readonly audit: AuditService,
    private readonly outbox: OutboxService,
  ) {}

  async award(user: AuthUser, briefId: string, bidId: string): Promise<{ contractId: string }> {
    return this.ds.transaction(async (em) => {
      const visible = await this.briefs.loadVisible(em, user, briefId);
      this.access.assertOwnerRole(user, visible.broadcaster_id, Policy.ManageBriefs.roles, 'Brief not found');
      await this.opening.assertUnsealed(briefId, em);
      const brief = await this.briefs.lockForAward(em, briefId);
      if (brief!.status === 'awarded') throw new DomainError(BidErrors.ALREADY_AWARDED);
      if (brief!.status !== 'closed') {
        throw new DomainError(BidErrors.BRIEF_NOT_CLOSED, `The brief is ${brief!.status}`);
      }
      const bid = await this.bids.markAwarded(em, briefId, bidId);
      await this.briefs.markAwarded(em, briefId);
      const contractId = await this.contracts.createFromAward(em, {
        briefId,
        bidId,
        broadcasterId: brief!.broadcaster_id,
        studioId: bid.studioId,
      });
      const others = await this.bids.notSelectedStudioIds(em, briefId, bidId);
      await this.audit.record(em, {
        actorId: user.id,
        organisationId: user.organisationId,
        action: 'brief.awarded',
        entityType: 'brief',
        entityId: briefId,
        before: { status: 'closed' },
        after: { status: 'awarded', bidId, contractId },
      });
      const data = { briefId, briefTitle: brief!.title };
      await this.outbox.emit(em, 'bid.awarded', {
        recipients: { organisationIds: [bid.studioId], roles: [...Policy.Bid.roles] },
        data: { ...data, bidId, contractId },
      });
      if (others.length) {
        await this.outbox.emit(em, 'bid.not_selected', {
          recipients: { organisationIds: others, roles: [...Policy.Bid.roles] },
          data,
        });
      }
      return { contractId };
    });
  }
}
