import { Body, Controller, Get, Header, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiConflictResponse, ApiTags } from '@nestjs/swagger';
import type { AuthUser } from '../../shared/auth/auth-user';
import { CurrentUser, Roles } from '../../shared/auth/decorators';
import { AwardService } from './award.service';
import { ContractsService } from './contracts.service';
import {
  AwardBriefDto,
  AwardResultDto,
  ContractDto,
  ContractPageDto,
  ListContractsQuery,
} from './dto/contract.dto';

@ApiTags('contracts')
@ApiBearerAuth()
@Controller()
export class ContractsController {
  constructor(
    private readonly contracts: ContractsService,
    private readonly awards: AwardService,
  ) {}

  /** Awards one bid after the deadline and creates the contract draft; a second award is 409. */
  @Post('briefs/:id/award')
  @Header('Cache-Control', 'no-store')
  @Roles('commissioner', 'admin')
  @ApiConflictResponse({ description: 'ALREADY_AWARDED, BRIEF_NOT_CLOSED or BIDS_SEALED' })
  award(
    @CurrentUser() user: AuthUser,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: AwardBriefDto,
  ): Promise<AwardResultDto> {
    return this.awards.award(user, id, body.bidId);
  }

  @Get('contracts')
  @Header('Cache-Control', 'no-store')
  list(@CurrentUser() user: AuthUser, @Query() q: ListContractsQuery): Promise<ContractPageDto> {
    return this.contracts.list(user, q);
  }

  @Get('contracts/:id')
  @Header('Cache-Control', 'no-store')
  get(@CurrentUser() user: AuthUser, @Param('id', ParseUUIDPipe) id: string): Promise<ContractDto> {
    return this.contracts.get(user, id);
  }
}
