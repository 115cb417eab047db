import { Body, Controller, HttpCode, Param, ParseUUIDPipe, Post, Req } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { Allow } from '../../shared/auth/decorators';
import { Policy } from '../../shared/auth/policies';
import { ApiErrors } from '../../shared/openapi/api-errors';
import { ConfirmVoteDto, RequestVoteDto, VoteConfirmedDto, VoteRequestedDto } from './dto/idea-vote.dto';
import { IdeaVotesService } from './idea-votes.service';
import { IdeaErrors } from './ideas.errors';

@ApiTags('ideas')
@Allow(Policy.Public)
@Controller()
export class IdeaVotesController {
  constructor(private readonly votes: IdeaVotesService) {}

  /**
   * Asks for a vote: a confirmation link is e-mailed and the vote counts once it is opened. The
   * answer is the same whether or not the address has voted. Ideas the public cannot see are not
   * found; converted and declined ideas take no votes (IDEA_STATE_CONFLICT). Rate limited per
   * client address (VOTE_REQUESTS_PER_IP_PER_HOUR).
   */
  @Post('public/ideas/:id/votes')
  @HttpCode(202)
  @ApiErrors(
    IdeaErrors.EMAIL_DISPOSABLE,
    IdeaErrors.VOTING_DISABLED,
    IdeaErrors.IDEA_CALL_CLOSED,
    IdeaErrors.IDEA_STATE_CONFLICT,
  )
  request(
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: RequestVoteDto,
    @Req() req: FastifyRequest,
  ): Promise<VoteRequestedDto> {
    // req.ip: the socket address, or the client behind the proxies TRUST_PROXY names.
    return this.votes.request(id, body.email, req.ip);
  }

  /** Confirms a vote with the e-mailed token (single use); answers the idea's vote count. */
  @Post('public/votes/confirm')
  @HttpCode(200)
  @ApiErrors(
    IdeaErrors.VOTE_TOKEN_GONE,
    IdeaErrors.VOTING_DISABLED,
    IdeaErrors.IDEA_CALL_CLOSED,
    IdeaErrors.IDEA_STATE_CONFLICT,
  )
  confirm(@Body() body: ConfirmVoteDto): Promise<VoteConfirmedDto> {
    return this.votes.confirm(body.token);
  }
}
