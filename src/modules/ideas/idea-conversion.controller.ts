import { Controller, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { AuthUser } from '../../shared/auth/auth-user';
import { Allow, CurrentUser } from '../../shared/auth/decorators';
import { Policy } from '../../shared/auth/policies';
import { ApiErrors } from '../../shared/openapi/api-errors';
import { ConvertedIdeaDto } from './dto/idea-links.dto';
import { IdeaConversionService } from './idea-conversion.service';
import { IdeaErrors } from './ideas.errors';

@ApiTags('ideas')
@ApiBearerAuth()
@Controller('ideas')
export class IdeaConversionController {
  constructor(private readonly conversion: IdeaConversionService) {}

  /**
   * Converts a shortlisted idea into a draft brief crediting its originator; once only: again →
   * 409 IDEA_CONVERTED with the brief's id as `briefId` in the problem body.
   */
  @Post(':id/convert')
  @Allow(Policy.ManageBriefs)
  @ApiErrors(IdeaErrors.IDEA_STATE_CONFLICT, IdeaErrors.IDEA_CONVERTED)
  convert(@CurrentUser() user: AuthUser, @Param('id', ParseUUIDPipe) id: string): Promise<ConvertedIdeaDto> {
    return this.conversion.convert(user, id);
  }
}
