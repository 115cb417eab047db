import {
  Body,
  Controller,
  Get,
  HttpCode,
  Param,
  ParseUUIDPipe,
  Patch,
  Post,
  Put,
  Query,
} from '@nestjs/common';
import { ApiBearerAuth, ApiConflictResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { AuthUser } from '../../shared/auth/auth-user';
import { CurrentUser, Allow } from '../../shared/auth/decorators';
import { Policy } from '../../shared/auth/policies';
import { PageQuery } from '../../shared/http/pagination';
import { ApiErrors } from '../../shared/openapi/api-errors';
import { BidOpeningService } from './bid-opening.service';
import { BidErrors } from './bids.errors';
import { BidsService } from './bids.service';
import {
  BidDto,
  BidOpeningDto,
  BidPageDto,
  CreateBidDto,
  DecisionDto,
  EvaluatorScoresDto,
  RankingPageDto,
  ScoresDto,
  UpdateBidDto,
} from './dto/bid.dto';
import { EvaluationService } from './evaluation.service';

@ApiTags('bids')
@ApiBearerAuth()
@Allow(Policy.AnyUser)
@Controller()
export class BidsController {
  constructor(
    private readonly bids: BidsService,
    private readonly evaluation: EvaluationService,
    private readonly opening: BidOpeningService,
  ) {}

  /** A studio's bid: `draft` unless `submit: true`. */
  @Post('briefs/:id/bids')
  @Allow(Policy.Bid)
  @ApiErrors(
    BidErrors.BID_WINDOW_CLOSED,
    BidErrors.BID_EXISTS,
    BidErrors.STUDIO_NOT_VERIFIED,
    BidErrors.DOMESTIC_ONLY,
    BidErrors.CURRENCY_MISMATCH,
    BidErrors.BREAKDOWN_MISMATCH,
    BidErrors.MILESTONE_SHARES,
  )
  create(
    @CurrentUser() user: AuthUser,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: CreateBidDto,
  ): Promise<BidDto> {
    return this.bids.create(user, id, body);
  }

  /** The broadcaster after the deadline (BIDS_SEALED before it); a studio sees only its own. */
  @Get('briefs/:id/bids')
  @ApiOkResponse({ type: BidPageDto })
  @ApiConflictResponse({ description: 'BIDS_SEALED: the deadline has not passed' })
  @ApiErrors(BidErrors.BIDS_SEALED)
  list(
    @CurrentUser() user: AuthUser,
    @Param('id', ParseUUIDPipe) id: string,
    @Query() q: PageQuery,
  ): Promise<BidPageDto> {
    return this.bids.listForBrief(user, id, q);
  }

  @Get('bids/:id')
  @ApiErrors(BidErrors.BIDS_SEALED)
  get(@CurrentUser() user: AuthUser, @Param('id', ParseUUIDPipe) id: string): Promise<BidDto> {
    return this.bids.get(user, id);
  }

  /** Edits a draft or submitted bid before the deadline (a submitted one gets a new receipt). */
  @Patch('bids/:id')
  @Allow(Policy.Bid)
  @ApiErrors(
    BidErrors.BID_WINDOW_CLOSED,
    BidErrors.BID_STATE_CONFLICT,
    BidErrors.CURRENCY_MISMATCH,
    BidErrors.BREAKDOWN_MISMATCH,
    BidErrors.MILESTONE_SHARES,
  )
  update(
    @CurrentUser() user: AuthUser,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: UpdateBidDto,
  ): Promise<BidDto> {
    return this.bids.update(user, id, body);
  }

  @Post('bids/:id/submit')
  @HttpCode(200)
  @Allow(Policy.Bid)
  @ApiErrors(BidErrors.BID_WINDOW_CLOSED, BidErrors.BID_STATE_CONFLICT)
  submit(@CurrentUser() user: AuthUser, @Param('id', ParseUUIDPipe) id: string): Promise<BidDto> {
    return this.bids.submit(user, id);
  }

  @Post('bids/:id/withdraw')
  @HttpCode(200)
  @Allow(Policy.Bid)
  @ApiErrors(BidErrors.BID_WINDOW_CLOSED, BidErrors.BID_STATE_CONFLICT)
  withdraw(@CurrentUser() user: AuthUser, @Param('id', ParseUUIDPipe) id: string): Promise<BidDto> {
    return this.bids.withdraw(user, id);
  }

  /** The caller's scores (0–10 per criterion) for a bid, after the deadline. */
  @Put('bids/:id/scores')
  @Allow(Policy.ManageBriefs)
  @ApiErrors(BidErrors.BIDS_SEALED, BidErrors.BRIEF_NOT_CLOSED, BidErrors.UNKNOWN_CRITERION)
  score(
    @CurrentUser() user: AuthUser,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: ScoresDto,
  ): Promise<EvaluatorScoresDto> {
    return this.evaluation.score(user, id, body.scores);
  }

  @Post('bids/:id/shortlist')
  @HttpCode(200)
  @Allow(Policy.ManageBriefs)
  @ApiErrors(BidErrors.BIDS_SEALED, BidErrors.BRIEF_NOT_CLOSED, BidErrors.BID_STATE_CONFLICT)
  shortlist(
    @CurrentUser() user: AuthUser,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: DecisionDto,
  ): Promise<BidDto> {
    return this.evaluation.shortlist(user, id, body.note);
  }

  @Post('bids/:id/reject')
  @HttpCode(200)
  @Allow(Policy.ManageBriefs)
  @ApiErrors(BidErrors.BIDS_SEALED, BidErrors.BRIEF_NOT_CLOSED, BidErrors.BID_STATE_CONFLICT)
  reject(
    @CurrentUser() user: AuthUser,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: DecisionDto,
  ): Promise<BidDto> {
    return this.evaluation.reject(user, id, body.note);
  }

  /** Bids ordered by weighted score, with each evaluator's scores and disagreements. */
  @Get('briefs/:id/ranking')
  @ApiErrors(BidErrors.BIDS_SEALED)
  ranking(
    @CurrentUser() user: AuthUser,
    @Param('id', ParseUUIDPipe) id: string,
    @Query() q: PageQuery,
  ): Promise<RankingPageDto> {
    return this.evaluation.ranking(user, id, q);
  }

  /** Every submitted bid's commitment at the deadline, for the broadcaster and the bidders. */
  @Get('briefs/:id/bid-opening')
  @ApiErrors(BidErrors.BIDS_SEALED)
  bidOpening(@CurrentUser() user: AuthUser, @Param('id', ParseUUIDPipe) id: string): Promise<BidOpeningDto> {
    return this.opening.get(user, id);
  }
}
