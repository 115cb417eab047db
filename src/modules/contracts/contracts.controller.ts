import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Put, Query } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiOkResponse,
  ApiTags,
} from '@nestjs/swagger';
import type { AuthUser } from '../../shared/auth/auth-user';
import { CurrentUser, Allow } from '../../shared/auth/decorators';
import { Policy } from '../../shared/auth/policies';
import { PageQuery } from '../../shared/http/pagination';
import { AwardService } from './award.service';
import { ContractsService } from './contracts.service';
import {
  AwardBriefDto,
  AwardResultDto,
  ContractDto,
  ContractPageDto,
  ListContractsQuery,
  MilestonePageDto,
} from './dto/contract.dto';
import {
  ReplaceAudioLanguagesDto,
  ReplaceMilestonesDto,
  SignContractDto,
  TerminateContractDto,
} from './dto/signing.dto';
import { SigningService } from './signing.service';

import { ApiErrors } from '../../shared/openapi/api-errors';
import { BidErrors } from '../bids/bids.errors';
import { BriefErrors } from '../briefs/briefs.errors';
import { ContractErrors } from './contracts.errors';
@ApiTags('contracts')
@ApiBearerAuth()
@Allow(Policy.AnyUser)
@Controller()
export class ContractsController {
  constructor(
    private readonly contracts: ContractsService,
    private readonly awards: AwardService,
    private readonly signing: SigningService,
  ) {}

  /** Awards one bid after the deadline and creates the contract draft; a second award is 409. */
  @Post('briefs/:id/award')
  @Allow(Policy.ManageBriefs)
  @ApiCreatedResponse({ type: AwardResultDto })
  @ApiConflictResponse({ description: 'ALREADY_AWARDED, BRIEF_NOT_CLOSED or BIDS_SEALED' })
  @ApiErrors(
    BidErrors.ALREADY_AWARDED,
    BidErrors.BRIEF_NOT_CLOSED,
    BidErrors.BIDS_SEALED,
    BidErrors.BID_NOT_FOUND_FOR_BRIEF,
    BidErrors.BID_STATE_CONFLICT,
  )
  award(
    @CurrentUser() user: AuthUser,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: AwardBriefDto,
  ): Promise<AwardResultDto> {
    return this.awards.award(user, id, body.bidId);
  }

  @Get('contracts')
  list(@CurrentUser() user: AuthUser, @Query() q: ListContractsQuery): Promise<ContractPageDto> {
    return this.contracts.list(user, q);
  }

  @Get('contracts/:id')
  get(@CurrentUser() user: AuthUser, @Param('id', ParseUUIDPipe) id: string): Promise<ContractDto> {
    return this.contracts.get(user, id);
  }

  @Get('contracts/:id/milestones')
  milestones(
    @CurrentUser() user: AuthUser,
    @Param('id', ParseUUIDPipe) id: string,
    @Query() q: PageQuery,
  ): Promise<MilestonePageDto> {
    return this.contracts.milestones(user, id, q);
  }

  /** Replaces a draft's schedule (amounts must sum to the value: 422); clears signatures. */
  @Put('contracts/:id/milestones')
  @Allow(Policy.ManageBriefs)
  @ApiErrors(ContractErrors.CONTRACT_STATE_CONFLICT, ContractErrors.MILESTONE_SUM)
  replaceMilestones(
    @CurrentUser() user: AuthUser,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: ReplaceMilestonesDto,
  ): Promise<ContractDto> {
    return this.signing.replaceMilestones(user, id, body.milestones);
  }

  /**
   * Replaces a draft's spoken audio languages (minutes per episode; subtitles are not a
   * language; in all at most the brief's episodeMinutes: 422). They are part of the signed
   * terms: a change clears the signatures given so far.
   */
  @Put('contracts/:id/audio-languages')
  @Allow(Policy.ManageBriefs)
  @ApiOkResponse({ type: ContractDto })
  @ApiErrors(ContractErrors.CONTRACT_STATE_CONFLICT, BriefErrors.AUDIO_MINUTES)
  replaceAudioLanguages(
    @CurrentUser() user: AuthUser,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: ReplaceAudioLanguagesDto,
  ): Promise<ContractDto> {
    return this.signing.replaceAudioLanguages(user, id, body.audioLanguages);
  }

  /** Signs the current terms for the caller's party; both signatures on one hash activate it. */
  @Post('contracts/:id/sign')
  @HttpCode(200)
  @Allow(Policy.Sign)
  @ApiOkResponse({ type: ContractDto })
  @ApiConflictResponse({ description: 'TERMS_CHANGED: the hash is stale; ALREADY_SIGNED' })
  @ApiErrors(
    ContractErrors.CONTRACT_STATE_CONFLICT,
    ContractErrors.TERMS_CHANGED,
    ContractErrors.ALREADY_SIGNED,
  )
  sign(
    @CurrentUser() user: AuthUser,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: SignContractDto,
  ): Promise<ContractDto> {
    return this.signing.sign(user, id, body.termsHash);
  }

  @Post('contracts/:id/terminate')
  @HttpCode(200)
  @Allow(Policy.ManageBriefs)
  @ApiErrors(ContractErrors.CONTRACT_STATE_CONFLICT)
  terminate(
    @CurrentUser() user: AuthUser,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: TerminateContractDto,
  ): Promise<ContractDto> {
    return this.signing.terminate(user, id, body.reason);
  }
}
