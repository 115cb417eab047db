import { Body, Controller, HttpCode, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { AuthUser } from '../../../shared/auth/auth-user';
import { Allow, CurrentUser } from '../../../shared/auth/decorators';
import { Policy } from '../../../shared/auth/policies';
import { ApiErrors } from '../../../shared/openapi/api-errors';
import { DeliverableErrors } from '../deliverables.errors';
import { QcReportDto, QcWaiversDto } from './dto/qc.dto';
import { QcErrors } from './qc.errors';
import { QcService } from './qc.service';

@ApiTags('deliverables')
@ApiBearerAuth()
@Allow(Policy.ManageBriefs)
@Controller()
export class QcController {
  constructor(private readonly qc: QcService) {}

  /** Runs technical QC again (a new run against the brief's current profile); the report is `pending`. */
  @Post('deliverables/:id/qc/rerun')
  @HttpCode(202)
  @ApiErrors(QcErrors.QC_NOT_A_VIDEO, DeliverableErrors.DELIVERABLE_NOT_READY)
  rerun(@CurrentUser() user: AuthUser, @Param('id', ParseUUIDPipe) id: string): Promise<QcReportDto> {
    return this.qc.rerun(user, id);
  }

  /** Waives failed checks of the current report with a reason (audited; shown to the studio). */
  @Post('deliverables/:id/qc/waivers')
  @ApiErrors(QcErrors.QC_NOT_A_VIDEO, QcErrors.QC_NOT_WAIVABLE, QcErrors.QC_ALREADY_WAIVED)
  waive(
    @CurrentUser() user: AuthUser,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: QcWaiversDto,
  ): Promise<QcReportDto> {
    return this.qc.waive(user, id, body);
  }
}
