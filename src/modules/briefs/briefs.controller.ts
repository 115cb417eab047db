import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { AuthUser } from '../../shared/auth/auth-user';
import { CurrentUser, Allow } from '../../shared/auth/decorators';
import { Policy } from '../../shared/auth/policies';
import { PageQuery } from '../../shared/http/pagination';
import { BriefsService } from './briefs.service';
import {
  AmendBriefDto,
  BriefDto,
  BriefPageDto,
  CancelBriefDto,
  CreateBriefDto,
  InvitationsDto,
  InviteStudiosDto,
  ListBriefsQuery,
  UpdateBriefDto,
} from './dto/brief.dto';
import { AnswerQuestionDto, AskQuestionDto, QuestionDto, QuestionPageDto } from './dto/question.dto';
import { QuestionsService } from './questions.service';
import { ApiErrors } from '../../shared/openapi/api-errors';
import { BriefErrors } from './briefs.errors';

@ApiTags('briefs')
@ApiBearerAuth()
@Allow(Policy.AnyUser)
@Controller()
export class BriefsController {
  constructor(
    private readonly briefs: BriefsService,
    private readonly questions: QuestionsService,
  ) {}

  /** A new brief in draft. */
  @Post('briefs')
  @Allow(Policy.ManageBriefs)
  @ApiErrors(BriefErrors.CRITERIA_WEIGHTS, BriefErrors.DEADLINE_ORDER, BriefErrors.BUDGET_RANGE)
  create(@CurrentUser() user: AuthUser, @Body() body: CreateBriefDto): Promise<BriefDto> {
    return this.briefs.create(user, body);
  }

  /** Broadcasters: their own briefs. Studios: published briefs visible to them. */
  @Get('briefs')
  list(@CurrentUser() user: AuthUser, @Query() q: ListBriefsQuery): Promise<BriefPageDto> {
    return this.briefs.list(user, q);
  }

  @Get('briefs/:id')
  get(@CurrentUser() user: AuthUser, @Param('id', ParseUUIDPipe) id: string): Promise<BriefDto> {
    return this.briefs.get(user, id);
  }

  /** Drafts only; a published brief changes by amendment. */
  @Patch('briefs/:id')
  @Allow(Policy.ManageBriefs)
  @ApiErrors(
    BriefErrors.BRIEF_NOT_DRAFT,
    BriefErrors.CRITERIA_WEIGHTS,
    BriefErrors.DEADLINE_ORDER,
    BriefErrors.BUDGET_RANGE,
  )
  update(
    @CurrentUser() user: AuthUser,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: UpdateBriefDto,
  ): Promise<BriefDto> {
    return this.briefs.update(user, id, body);
  }

  @Post('briefs/:id/publish')
  @HttpCode(200)
  @Allow(Policy.ManageBriefs)
  @ApiErrors(
    BriefErrors.BRIEF_STATE_CONFLICT,
    BriefErrors.BRIEF_INCOMPLETE,
    BriefErrors.CRITERIA_WEIGHTS,
    BriefErrors.DEADLINE_ORDER,
    BriefErrors.BUDGET_RANGE,
    BriefErrors.BID_WINDOW_TOO_SHORT,
  )
  publish(@CurrentUser() user: AuthUser, @Param('id', ParseUUIDPipe) id: string): Promise<BriefDto> {
    return this.briefs.publish(user, id);
  }

  /** Changes a published brief (deadlines only later); submitted bids return to draft. */
  @Post('briefs/:id/amendments')
  @Allow(Policy.ManageBriefs)
  @ApiErrors(
    BriefErrors.BRIEF_STATE_CONFLICT,
    BriefErrors.CRITERIA_WEIGHTS,
    BriefErrors.DEADLINE_ORDER,
    BriefErrors.BUDGET_RANGE,
    BriefErrors.DEADLINE_MOVED_EARLIER,
    BriefErrors.AMENDMENT_NOTICE,
  )
  amend(
    @CurrentUser() user: AuthUser,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: AmendBriefDto,
  ): Promise<BriefDto> {
    return this.briefs.amend(user, id, body);
  }

  @Post('briefs/:id/cancel')
  @HttpCode(200)
  @Allow(Policy.ManageBriefs)
  @ApiErrors(BriefErrors.BRIEF_STATE_CONFLICT)
  cancel(
    @CurrentUser() user: AuthUser,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: CancelBriefDto,
  ): Promise<BriefDto> {
    return this.briefs.cancel(user, id, body.reason);
  }

  @Post('briefs/:id/invitations')
  @Allow(Policy.ManageBriefs)
  @ApiErrors(BriefErrors.BRIEF_STATE_CONFLICT, BriefErrors.NOT_INVITATION_ONLY, BriefErrors.UNKNOWN_STUDIOS)
  invite(
    @CurrentUser() user: AuthUser,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: InviteStudiosDto,
  ): Promise<InvitationsDto> {
    return this.briefs.invite(user, id, body.studioIds);
  }

  @Post('briefs/:id/questions')
  @Allow(Policy.Bid)
  @ApiErrors(BriefErrors.QUESTIONS_CLOSED)
  ask(
    @CurrentUser() user: AuthUser,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: AskQuestionDto,
  ): Promise<QuestionDto> {
    return this.questions.ask(user, id, body.text);
  }

  @Get('briefs/:id/questions')
  listQuestions(
    @CurrentUser() user: AuthUser,
    @Param('id', ParseUUIDPipe) id: string,
    @Query() q: PageQuery,
  ): Promise<QuestionPageDto> {
    return this.questions.list(user, id, q);
  }

  @Post('questions/:id/answer')
  @HttpCode(200)
  @Allow(Policy.ManageBriefs)
  @ApiErrors(BriefErrors.BRIEF_STATE_CONFLICT, BriefErrors.ALREADY_ANSWERED)
  answer(
    @CurrentUser() user: AuthUser,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: AnswerQuestionDto,
  ): Promise<QuestionDto> {
    return this.questions.answer(user, id, body.text);
  }
}
