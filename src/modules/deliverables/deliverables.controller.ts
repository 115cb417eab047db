import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiFoundResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AuthUser } from '../../shared/auth/auth-user';
import { CurrentUser, Allow } from '../../shared/auth/decorators';
import { Policy } from '../../shared/auth/policies';
import { sendFileResponse } from '../../shared/http/file-response';
import { PageQuery } from '../../shared/http/pagination';
import type { MilestoneDto } from '../contracts/dto/contract.dto';
import { DeliverablesService } from './deliverables.service';
import {
  ChangesRequestDto,
  DeliverablePageDto,
  RegisterDeliverableDto,
  RegisteredDeliverableDto,
} from './dto/deliverable.dto';
import { MilestoneReviewService } from './milestone-review.service';
import { UPLOADS_PATH } from './tus-uploads';
import { ApiErrors } from '../../shared/openapi/api-errors';
import { ContractErrors } from '../contracts/contracts.errors';
import { DeliverableErrors } from './deliverables.errors';
import { QcErrors } from './qc/qc.errors';

@ApiTags('deliverables')
@ApiBearerAuth()
@Allow(Policy.AnyUser)
@Controller()
export class DeliverablesController {
  constructor(
    private readonly deliverables: DeliverablesService,
    private readonly review: MilestoneReviewService,
  ) {}

  /** Registers a file (next version of its kind) and returns its tus upload URL. */
  @Post('milestones/:id/deliverables')
  @Allow(Policy.Bid)
  @ApiErrors(
    DeliverableErrors.UPLOAD_TOO_LARGE,
    DeliverableErrors.STORAGE_QUOTA_EXCEEDED,
    ContractErrors.CONTRACT_STATE_CONFLICT,
    DeliverableErrors.MILESTONE_CLOSED_FOR_UPLOADS,
    DeliverableErrors.DELIVERABLE_VERSION_TAKEN,
  )
  async register(
    @CurrentUser() user: AuthUser,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: RegisterDeliverableDto,
    @Req() req: FastifyRequest,
  ): Promise<RegisteredDeliverableDto> {
    const deliverable = await this.deliverables.register(user, id, body);
    return { deliverable, uploadUrl: `${req.protocol}://${req.host}${UPLOADS_PATH}/${deliverable.id}` };
  }

  @Get('milestones/:id/deliverables')
  list(
    @CurrentUser() user: AuthUser,
    @Param('id', ParseUUIDPipe) id: string,
    @Query() q: PageQuery,
  ): Promise<DeliverablePageDto> {
    return this.deliverables.list(user, id, q);
  }

  /** Streams a verified file (Range supported) or redirects to a short-lived signed URL. */
  @Get('deliverables/:id/content')
  @ApiOkResponse({
    description: 'The file (local storage); 206 for a Range request',
    content: { 'application/octet-stream': { schema: { type: 'string', format: 'binary' } } },
  })
  @ApiFoundResponse({ description: 'S3 storage: redirect to a presigned URL valid for 5 minutes' })
  @ApiErrors(
    DeliverableErrors.DELIVERABLE_NOT_READY,
    DeliverableErrors.PRECONDITION_FAILED,
    DeliverableErrors.RANGE_NOT_SATISFIABLE,
  )
  async content(
    @CurrentUser() user: AuthUser,
    @Param('id', ParseUUIDPipe) id: string,
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    await sendFileResponse(req, reply, await this.deliverables.download(user, id));
  }

  /** The studio submits the milestone for review (needs a `ready` deliverable). */
  @Post('milestones/:id/submit')
  @HttpCode(200)
  @Allow(Policy.Bid)
  @ApiErrors(
    ContractErrors.CONTRACT_STATE_CONFLICT,
    ContractErrors.MILESTONE_STATE_CONFLICT,
    ContractErrors.NO_READY_DELIVERABLE,
  )
  submit(@CurrentUser() user: AuthUser, @Param('id', ParseUUIDPipe) id: string): Promise<MilestoneDto> {
    return this.review.submit(user, id);
  }

  /**
   * Accepts a submitted milestone; this issues its invoice. Refused (QC_FAILED) while a current
   * video deliverable has no finished QC report or an unwaived mandatory failure.
   */
  @Post('milestones/:id/accept')
  @HttpCode(200)
  @Allow(Policy.ManageBriefs)
  @ApiErrors(
    ContractErrors.CONTRACT_STATE_CONFLICT,
    ContractErrors.MILESTONE_STATE_CONFLICT,
    QcErrors.QC_FAILED,
  )
  accept(@CurrentUser() user: AuthUser, @Param('id', ParseUUIDPipe) id: string): Promise<MilestoneDto> {
    return this.review.accept(user, id);
  }

  @Post('milestones/:id/request-changes')
  @HttpCode(200)
  @Allow(Policy.ManageBriefs)
  @ApiErrors(ContractErrors.CONTRACT_STATE_CONFLICT, ContractErrors.MILESTONE_STATE_CONFLICT)
  requestChanges(
    @CurrentUser() user: AuthUser,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: ChangesRequestDto,
  ): Promise<MilestoneDto> {
    return this.review.requestChanges(user, id, body.notes);
  }
}
