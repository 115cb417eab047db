import { Body, Controller, Get, HttpCode, Ip, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Allow } from '../../shared/auth/decorators';
import { Policy } from '../../shared/auth/policies';
import { CommonErrors } from '../../shared/errors/common.errors';
import { PageQuery } from '../../shared/http/pagination';
import { ApiErrors } from '../../shared/openapi/api-errors';
import { PublicIdeaPageDto } from './dto/idea.dto';
import { IdeaReportReceivedDto, ReportIdeaDto } from './dto/idea-moderation.dto';
import { IdeaReportsService } from './idea-reports.service';
import { IdeaErrors } from './ideas.errors';
import { PublishedIdeasService } from './published-ideas.service';

/** The public side of a call's ideas: no account, no personal data out. */
@ApiTags('ideas')
@Allow(Policy.Public)
@Controller()
export class PublishedIdeasController {
  constructor(
    private readonly published: PublishedIdeasService,
    private readonly reports: IdeaReportsService,
  ) {}

  /**
   * The public ideas (approved, shortlisted, converted, declined) of an open or closed call,
   * newest first, with votes and the published answer; the submitter's name only when they agreed
   * to be credited. A draft or cancelled call is not found.
   */
  @Get('public/idea-calls/:id/ideas')
  list(@Param('id', ParseUUIDPipe) id: string, @Query() q: PageQuery): Promise<PublicIdeaPageDto> {
    return this.published.list(id, q);
  }

  /**
   * Reports a public idea (one report per e-mail address and idea; a repeat is answered the same
   * and counts once). Three reporters hide an approved idea until the channel reviews it. The
   * address is kept only as a keyed hash. Limited per client address (429 with Retry-After).
   */
  @Post('public/ideas/:id/reports')
  @HttpCode(202)
  @ApiErrors(IdeaErrors.EMAIL_DISPOSABLE, CommonErrors.RATE_LIMITED)
  async report(
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: ReportIdeaDto,
    @Ip() ip: string,
  ): Promise<IdeaReportReceivedDto> {
    await this.reports.report(id, body.email, body.reason, ip);
    return { status: 'received' };
  }
}
