import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { InjectConfig } from '../../config/config.module';
import type { AppConfig } from '../../config/env';
import { notFound } from '../../shared/errors/common.errors';
import { DomainError } from '../../shared/errors/domain-error';
import { OutboxService } from '../../shared/outbox/outbox.service';
import { RateLimiter } from '../../shared/rate-limit/rate-limiter';
import { isDisposableEmail } from './disposable-email';
import type { VoteConfirmedDto, VoteRequestedDto } from './dto/idea-vote.dto';
import { IdeaHmac } from './idea-hmac';
import { hashLinkToken, IdeaMailService } from './idea-mail.service';
import { PUBLIC_IDEA_STATUSES, type IdeaStatus } from './idea-status';
import { IdeaErrors } from './ideas.errors';
import { IdeaVotesRepository } from './repositories/idea-votes.repository';
import { IdeasRepository, type IdeaRow } from './repositories/ideas.repository';

/** Ideas that take votes: public and still in the running (not converted, not declined). */
const VOTABLE: readonly IdeaStatus[] = ['approved', 'shortlisted'];

/** The rules a vote must meet when it is asked for and again when it is confirmed. */
function assertVotable(idea: IdeaRow): void {
  if (!idea.voting_enabled) throw new DomainError(IdeaErrors.VOTING_DISABLED);
  // call_status is as of the database clock: an open call past closesAt reads `closed`.
  if (idea.call_status !== 'open') throw new DomainError(IdeaErrors.IDEA_CALL_CLOSED);
  if (!VOTABLE.includes(idea.status)) {
    throw new DomainError(IdeaErrors.IDEA_STATE_CONFLICT, 'Only approved or shortlisted ideas take votes');
  }
}

/**
 * Public votes with double opt-in. A request stores the address (for the confirmation e-mail
 * only) and its HMAC, and queues the e-mail; the vote counts when the e-mailed token comes back.
 * One confirmed vote per normalised address and idea (idea_votes' primary key on the HMAC).
 * Addresses are deleted on confirmation, or at expiry by the scheduled `idea.vote_expiry` event.
 */
@Injectable()
export class IdeaVotesService {
  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly ideas: IdeasRepository,
    private readonly votes: IdeaVotesRepository,
    private readonly hmac: IdeaHmac,
    private readonly limiter: RateLimiter,
    private readonly mail: IdeaMailService,
    private readonly outbox: OutboxService,
    @InjectConfig() private readonly config: AppConfig,
  ) {}

  /**
   * Asks for a vote: 202 whatever the address's history, so the answer never tells whether it
   * has voted (an address that has gets no e-mail). Ideas the public cannot see are not found;
   * converted and declined ideas are visible but take no votes (409).
   */
  async request(ideaId: string, email: string, clientIp: string): Promise<VoteRequestedDto> {
    // Every request from the address counts, refused ones too (cheapest check first).
    await this.limiter.enforce(
      { bucket: 'vote-request', limit: this.config.ideas.voteRequestsPerIpPerHour, periodSeconds: 3600 },
      this.hmac.ip(clientIp),
      'Too many vote requests from this address; try again later',
    );
    if (isDisposableEmail(email)) throw new DomainError(IdeaErrors.EMAIL_DISPOSABLE);
    const emailHmac = this.hmac.email(email);
    await this.ds.transaction(async (em) => {
      const idea = await this.ideas.find(em, ideaId);
      if (!idea || !PUBLIC_IDEA_STATUSES.includes(idea.status)) throw notFound('Idea not found');
      assertVotable(idea);
      if (await this.votes.hasVote(em, ideaId, emailHmac)) return;
      const request = await this.votes.insertRequest(em, {
        ideaId,
        email,
        emailHmac,
        ttlSeconds: this.config.ideas.voteTokenTtlSeconds,
      });
      await this.mail.queue(em, 'vote', { requestId: request.id });
      await this.outbox.emit(
        em,
        'idea.vote_expiry',
        { requestId: request.id },
        { availableAt: request.expires_at.toISOString() },
      );
    });
    return { status: 'pending' };
  }

  /**
   * Confirms a vote by the e-mailed token: counted once, and the token is spent. Unknown, used
   * and expired tokens are gone (410); after closesAt nothing counts (409).
   */
  async confirm(token: string): Promise<VoteConfirmedDto> {
    return this.ds.transaction(async (em) => {
      // Locked: a second confirmation of the same token waits, then finds it spent.
      const request = await this.votes.lockByTokenHash(em, hashLinkToken(token));
      if (!request || request.confirmed || request.expired) throw new DomainError(IdeaErrors.VOTE_TOKEN_GONE);
      // Locked too, so a moderator cannot hide or decline the idea between the check and the count.
      const idea = await this.ideas.find(em, request.idea_id, true);
      if (!idea) throw new DomainError(IdeaErrors.VOTE_TOKEN_GONE); // (deleting an idea deletes its requests)
      assertVotable(idea);
      const votes = await this.votes.countVote(em, idea.id, request.email_hmac);
      await this.votes.confirm(em, request.id);
      return { ideaId: idea.id, votes };
    });
  }

  /** The scheduled end of a request: its address, if still kept, is deleted. */
  expire(em: EntityManager, requestId: string): Promise<void> {
    return this.votes.forgetExpiredAddress(em, requestId);
  }
}
