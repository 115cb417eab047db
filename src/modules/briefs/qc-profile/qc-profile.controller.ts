import { Body, Controller, Get, Param, ParseUUIDPipe, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { AuthUser } from '../../../shared/auth/auth-user';
import { Allow, CurrentUser } from '../../../shared/auth/decorators';
import { Policy } from '../../../shared/auth/policies';
import { ApiErrors } from '../../../shared/openapi/api-errors';
import { BriefErrors } from '../briefs.errors';
import { PutQcProfileDto, QcProfileDto } from './qc-profile.dto';
import { QcProfilesService } from './qc-profiles.service';

@ApiTags('briefs')
@ApiBearerAuth()
@Allow(Policy.ManageBriefs)
@Controller()
export class QcProfileController {
  constructor(private readonly profiles: QcProfilesService) {}

  /** The brief's current technical QC profile (the defaults from its deliverySpec until edited). */
  @Get('briefs/:id/qc-profile')
  get(@CurrentUser() user: AuthUser, @Param('id', ParseUUIDPipe) id: string): Promise<QcProfileDto> {
    return this.profiles.get(user, id);
  }

  /** Replaces the profile with a new version; draft briefs only. Unknown checks or parameters are 400. */
  @Put('briefs/:id/qc-profile')
  @ApiErrors(BriefErrors.BRIEF_NOT_DRAFT)
  put(
    @CurrentUser() user: AuthUser,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: PutQcProfileDto,
  ): Promise<QcProfileDto> {
    return this.profiles.put(user, id, body);
  }
}
