import { Controller, Get, Headers, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiExtraModels, ApiOkResponse, ApiTags, getSchemaPath } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import type { AuthUser } from '../../../shared/auth/auth-user';
import { Allow, CurrentUser } from '../../../shared/auth/decorators';
import { Policy } from '../../../shared/auth/policies';
import { CommonErrors } from '../../../shared/errors/common.errors';
import { ApiErrors } from '../../../shared/openapi/api-errors';
import { LocalContentQuery, LocalContentReportDto } from './dto/local-content.dto';
import { LocalContentErrors } from './local-content.errors';
import { LocalContentService } from './local-content.service';

@ApiExtraModels(LocalContentReportDto)
@ApiTags('transparency')
@ApiBearerAuth()
@Controller()
export class LocalContentController {
  constructor(private readonly localContent: LocalContentService) {}

  /**
   * Commissioned minutes and spend of a broadcaster in a year, domestic vs foreign, and the
   * Kazakh-language share against the year's target (LOCAL_CONTENT_TARGETS). It measures
   * commissioning, not broadcast airtime. Broadcaster users get their own organisation's; the
   * operator names one with `broadcasterId` (404 when it is no broadcaster; another
   * broadcaster's id is 404 for a broadcaster's users). `Accept: text/csv` gives CSV: one
   * `contract` row per contract, then `domestic`, `foreign` and `total` rows (the shares,
   * target and minutes needed on the total row).
   * - Counted: the broadcaster's contracts signed in the year (the second signature, which makes
   * a contract active; calendar year in UTC) that are active or completed now; drafts and
   * terminated contracts do not count.
   * - Minutes of a contract (T adds them): episodes × episodeMinutes of its brief.
   * - Kazakh minutes (K): episodes × the `kk` minutes per episode of the contract's
   * audioLanguages (copied from the brief at award, confirmed by the signatures). Only spoken
   * audio counts: subtitles are not a language, and a multilingual programme counts its Kazakh
   * minutes only.
   * - Domestic: the studio is registered in KZ with a BIN whose check digit is valid (country and
   * BIN cannot change after registration, so they are those at award).
   * - Spend: the contracts' values (Money, minor units) in their one currency; contracts of the
   * year in several currencies are refused (422 MIXED_CURRENCIES).
   * - Accepted: of the counted contracts, those whose every milestone is accepted (accepted,
   * invoiced or paid) count with all their minutes; a partly delivered contract counts none.
   * - Shares: in [0, 1], rounded half up to 4 decimals, null when there is nothing to divide.
   * - minutesNeeded (null when the year has no target): allNew = max(0, (p·T − K) / (1 − p))
   * (null when p = 1 and K < T), replacement = max(0, p·T − K), p the target share; integer
   * minutes rounded up.
   */
  @Get('reports/local-content')
  @Allow(Policy.BroadcasterOrOperator)
  @ApiOkResponse({
    content: {
      'application/json': { schema: { $ref: getSchemaPath(LocalContentReportDto) } },
      'text/csv': {
        schema: {
          type: 'string',
          example: 'row,contract_id,…,minutes,kazakh_minutes,kazakh_share,…\ntotal,,…,5860,2710,0.4625,…\n',
        },
      },
    },
  })
  @ApiErrors(CommonErrors.NOT_FOUND, LocalContentErrors.MIXED_CURRENCIES)
  report(
    @CurrentUser() user: AuthUser,
    @Query() q: LocalContentQuery,
    @Headers('accept') accept: string | undefined,
    @Res() reply: FastifyReply,
  ): Promise<LocalContentReportDto | void> {
    return this.localContent.send(user, q, accept, reply);
  }
}
