import { Controller, Get, Param, ParseUUIDPipe } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { Allow } from '../../../shared/auth/decorators';
import { Policy } from '../../../shared/auth/policies';
import { ResponsivenessDto } from './dto/responsiveness.dto';
import { ResponsivenessService } from './responsiveness.service';

@ApiTags('transparency')
@ApiBearerAuth()
@Controller()
export class ResponsivenessController {
  constructor(private readonly responsiveness: ResponsivenessService) {}

  /**
   * How long the broadcaster takes to answer questions, decide after bidsCloseAt, review
   * milestones, pay invoices and answer ideas, over the last 12 months: median, p90, open items.
   * Any signed-in user; 404 unless the organisation is a broadcaster.
   */
  @Get('organisations/:id/responsiveness')
  @Allow(Policy.AnyUser)
  get(@Param('id', ParseUUIDPipe) id: string): Promise<ResponsivenessDto> {
    return this.responsiveness.figures(id);
  }
}
