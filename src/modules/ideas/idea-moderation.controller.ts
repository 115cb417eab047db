import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { AuthUser } from '../../shared/auth/auth-user';
import { Allow, CurrentUser } from '../../shared/auth/decorators';
import { Policy } from '../../shared/auth/policies';
import { ApiErrors } from '../../shared/openapi/api-errors';
import { IdeaDto, ListIdeasQuery, ModerationIdeaPageDto } from './dto/idea.dto';
import { AnswerIdeaDto, DeclineIdeaDto, IdeaDecisionReasonDto } from './dto/idea-moderation.dto';
import { IdeaModerationService } from './idea-moderation.service';
import { IdeaErrors } from './ideas.errors';

/** The call's broadcaster moderates its ideas; every move is audited with its reason. */
@ApiTags('ideas')
@ApiBearerAuth()
@Allow(Policy.ManageBriefs)
@Controller()
export class IdeaModerationController {
  constructor(private readonly moderation: IdeaModerationService) {}

  /**
   * Every idea of the call (the broadcaster's users), newest first, optionally of one status,
   * with its report count and the call's approved ideas that read alike (`similar`).
   */
  @Get('idea-calls/:id/ideas')
  @Allow(Policy.AnyUser)
  list(
    @CurrentUser() user: AuthUser,
    @Param('id', ParseUUIDPipe) id: string,
    @Query() q: ListIdeasQuery,
  ): Promise<ModerationIdeaPageDto> {
    return this.moderation.list(user, id, q);
  }

  /** pending → approved: public from now on; the submitter is told by e-mail. */
  @Post('ideas/:id/approve')
  @HttpCode(200)
  @ApiErrors(IdeaErrors.IDEA_STATE_CONFLICT)
  approve(@CurrentUser() user: AuthUser, @Param('id', ParseUUIDPipe) id: string): Promise<IdeaDto> {
    return this.moderation.approve(user, id);
  }

  /** pending → rejected, with the reason (kept for the channel, not published); the submitter is told by e-mail. */
  @Post('ideas/:id/reject')
  @HttpCode(200)
  @ApiErrors(IdeaErrors.IDEA_STATE_CONFLICT)
  reject(
    @CurrentUser() user: AuthUser,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: IdeaDecisionReasonDto,
  ): Promise<IdeaDto> {
    return this.moderation.reject(user, id, body.reason);
  }

  /** approved → shortlisted; the submitter is told by e-mail. */
  @Post('ideas/:id/shortlist')
  @HttpCode(200)
  @ApiErrors(IdeaErrors.IDEA_STATE_CONFLICT)
  shortlist(@CurrentUser() user: AuthUser, @Param('id', ParseUUIDPipe) id: string): Promise<IdeaDto> {
    return this.moderation.shortlist(user, id);
  }

  /** approved or shortlisted → declined, publishing the answer; the submitter is told by e-mail. */
  @Post('ideas/:id/decline')
  @HttpCode(200)
  @ApiErrors(IdeaErrors.IDEA_STATE_CONFLICT)
  decline(
    @CurrentUser() user: AuthUser,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: DeclineIdeaDto,
  ): Promise<IdeaDto> {
    return this.moderation.decline(user, id, body.answer);
  }

  /** approved → hidden, with the reason (not published). */
  @Post('ideas/:id/hide')
  @HttpCode(200)
  @ApiErrors(IdeaErrors.IDEA_STATE_CONFLICT)
  hide(
    @CurrentUser() user: AuthUser,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: IdeaDecisionReasonDto,
  ): Promise<IdeaDto> {
    return this.moderation.hide(user, id, body.reason);
  }

  /**
   * hidden → approved: the review of a hidden idea. Its reports so far are marked reviewed and
   * no longer count toward hiding it again.
   */
  @Post('ideas/:id/unhide')
  @HttpCode(200)
  @ApiErrors(IdeaErrors.IDEA_STATE_CONFLICT)
  unhide(@CurrentUser() user: AuthUser, @Param('id', ParseUUIDPipe) id: string): Promise<IdeaDto> {
    return this.moderation.unhide(user, id);
  }

  /**
   * Sets or replaces the published answer to the idea, in any status except `withdrawn` (409);
   * the submitter is told by e-mail.
   */
  @Post('ideas/:id/answer')
  @HttpCode(200)
  @ApiErrors(IdeaErrors.IDEA_STATE_CONFLICT)
  answer(
    @CurrentUser() user: AuthUser,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: AnswerIdeaDto,
  ): Promise<IdeaDto> {
    return this.moderation.answer(user, id, body.text);
  }
}
