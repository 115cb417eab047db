import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { AuthUser } from '../../shared/auth/auth-user';
import { Allow, CurrentUser } from '../../shared/auth/decorators';
import { Policy } from '../../shared/auth/policies';
import { ApiErrors } from '../../shared/openapi/api-errors';
import {
  CancelIdeaCallDto,
  CreateIdeaCallDto,
  IdeaCallDto,
  IdeaCallPageDto,
  ListIdeaCallsQuery,
  UpdateIdeaCallDto,
} from './dto/idea-call.dto';
import { IdeaCallsService } from './idea-calls.service';
import { IdeaErrors } from './ideas.errors';

@ApiTags('ideas')
@ApiBearerAuth()
@Allow(Policy.AnyUser)
@Controller()
export class IdeaCallsController {
  constructor(private readonly calls: IdeaCallsService) {}

  /** A new idea call in draft (broadcasters only). */
  @Post('idea-calls')
  @Allow(Policy.ManageBriefs)
  create(@CurrentUser() user: AuthUser, @Body() body: CreateIdeaCallDto): Promise<IdeaCallDto> {
    return this.calls.create(user, body);
  }

  /** The broadcaster's own calls, in every state, newest first. */
  @Get('idea-calls')
  list(@CurrentUser() user: AuthUser, @Query() q: ListIdeaCallsQuery): Promise<IdeaCallPageDto> {
    return this.calls.list(user, q);
  }

  @Get('idea-calls/:id')
  get(@CurrentUser() user: AuthUser, @Param('id', ParseUUIDPipe) id: string): Promise<IdeaCallDto> {
    return this.calls.get(user, id);
  }

  /** Drafts only. */
  @Patch('idea-calls/:id')
  @Allow(Policy.ManageBriefs)
  @ApiErrors(IdeaErrors.IDEA_CALL_STATE_CONFLICT)
  update(
    @CurrentUser() user: AuthUser,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: UpdateIdeaCallDto,
  ): Promise<IdeaCallDto> {
    return this.calls.update(user, id, body);
  }

  /** Opens a draft call; closesAt must still be ahead by the database clock. */
  @Post('idea-calls/:id/open')
  @HttpCode(200)
  @Allow(Policy.ManageBriefs)
  @ApiErrors(IdeaErrors.IDEA_CALL_STATE_CONFLICT, IdeaErrors.CLOSES_AT_PAST)
  open(@CurrentUser() user: AuthUser, @Param('id', ParseUUIDPipe) id: string): Promise<IdeaCallDto> {
    return this.calls.open(user, id);
  }

  @Post('idea-calls/:id/cancel')
  @HttpCode(200)
  @Allow(Policy.ManageBriefs)
  @ApiErrors(IdeaErrors.IDEA_CALL_STATE_CONFLICT)
  cancel(
    @CurrentUser() user: AuthUser,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: CancelIdeaCallDto,
  ): Promise<IdeaCallDto> {
    return this.calls.cancel(user, id, body.reason);
  }

  /** Open calls (by the database clock), newest first. */
  @Get('public/idea-calls')
  @Allow(Policy.Public)
  listPublic(@Query() q: ListIdeaCallsQuery): Promise<IdeaCallPageDto> {
    return this.calls.listPublic(q);
  }

  /** An open call; any other is not found. */
  @Get('public/idea-calls/:id')
  @Allow(Policy.Public)
  getPublic(@Param('id', ParseUUIDPipe) id: string): Promise<IdeaCallDto> {
    return this.calls.getPublic(id);
  }
}
