import {
  Body,
  Controller,
  Get,
  Header,
  HttpCode,
  Param,
  ParseUUIDPipe,
  Post,
  Req,
  Res,
} from '@nestjs/common';
import { ApiBearerAuth, ApiFoundResponse, ApiTags } from '@nestjs/swagger';
import send from '@fastify/send';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AuthUser } from '../../shared/auth/auth-user';
import { CurrentUser, Allow } from '../../shared/auth/decorators';
import { Policy } from '../../shared/auth/policies';
import { DomainError } from '../../shared/errors/domain-error';
import type { MilestoneDto } from '../contracts/dto/contract.dto';
import { DeliverableErrors } from './deliverables.errors';
import { DeliverablesService } from './deliverables.service';
import {
  ChangesRequestDto,
  DeliverableDto,
  RegisterDeliverableDto,
  RegisteredDeliverableDto,
} from './dto/deliverable.dto';
import { MilestoneReviewService } from './milestone-review.service';
import { contentDisposition } from './storage/s3-storage';
import { UPLOADS_PATH } from './tus-uploads';

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
  list(@CurrentUser() user: AuthUser, @Param('id', ParseUUIDPipe) id: string): Promise<DeliverableDto[]> {
    return this.deliverables.list(user, id);
  }

  /** Streams a verified file (Range supported) or redirects to a short-lived signed URL. */
  @Get('deliverables/:id/content')
  @ApiFoundResponse({ description: 'S3 storage: redirect to a presigned URL valid for 5 minutes' })
  async content(
    @CurrentUser() user: AuthUser,
    @Param('id', ParseUUIDPipe) id: string,
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const { file, download } = await this.deliverables.download(user, id);
    void reply.header('Cache-Control', 'private, no-store');
    if (download.kind === 'redirect') {
      await reply.redirect(download.url, 302);
      return;
    }
    // @fastify/send handles Range, If-Range and conditional requests; the path is our id.
    // cacheControl off: send's own `public, max-age=0` would replace our `private, no-store`.
    const result = await send(req.raw, download.path, {
      root: download.root,
      dotfiles: 'deny',
      etag: true,
      cacheControl: false,
    });
    if (result.type === 'error') {
      // Errors leave as problem+json like every other; a 416 keeps `Content-Range: bytes */size`.
      if (result.statusCode === 416) {
        void reply.header('Content-Range', `bytes */${file.size}`);
        throw new DomainError(DeliverableErrors.RANGE_NOT_SATISFIABLE, `The file has ${file.size} bytes`);
      }
      if (result.statusCode === 412) throw new DomainError(DeliverableErrors.PRECONDITION_FAILED);
      // The row is ready but its stored file cannot be read: ours to fix, not the caller's.
      throw new Error(`stored file of deliverable ${id} unreadable (${result.statusCode})`);
    }
    void reply
      .status(result.statusCode)
      .headers(result.headers)
      .header('Content-Type', file.contentType)
      .header('Content-Disposition', contentDisposition(file.fileName));
    await reply.send(result.stream);
  }

  /** The studio submits the milestone for review (needs a `ready` deliverable). */
  @Post('milestones/:id/submit')
  @HttpCode(200)
  @Header('Cache-Control', 'no-store')
  @Allow(Policy.Bid)
  submit(@CurrentUser() user: AuthUser, @Param('id', ParseUUIDPipe) id: string): Promise<MilestoneDto> {
    return this.review.submit(user, id);
  }

  /** Accepts a submitted milestone; this issues its invoice. */
  @Post('milestones/:id/accept')
  @HttpCode(200)
  @Header('Cache-Control', 'no-store')
  @Allow(Policy.ManageBriefs)
  accept(@CurrentUser() user: AuthUser, @Param('id', ParseUUIDPipe) id: string): Promise<MilestoneDto> {
    return this.review.accept(user, id);
  }

  @Post('milestones/:id/request-changes')
  @HttpCode(200)
  @Header('Cache-Control', 'no-store')
  @Allow(Policy.ManageBriefs)
  requestChanges(
    @CurrentUser() user: AuthUser,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: ChangesRequestDto,
  ): Promise<MilestoneDto> {
    return this.review.requestChanges(user, id, body.notes);
  }
}
