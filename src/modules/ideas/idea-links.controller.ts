import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Allow } from '../../shared/auth/decorators';
import { Policy } from '../../shared/auth/policies';
import { ApiErrors } from '../../shared/openapi/api-errors';
import { ErasedIdeaDto, ManageTokenDto, WithdrawnIdeaDto } from './dto/idea-links.dto';
import { IdeaLinksService } from './idea-links.service';
import { IdeaErrors } from './ideas.errors';

/** The submitter's links from the receipt e-mail: the token is their only credential. */
@ApiTags('ideas')
@Allow(Policy.Public)
@Controller('public/ideas')
export class IdeaLinksController {
  constructor(private readonly links: IdeaLinksService) {}

  /** Withdraws a pending or approved idea. */
  @Post('withdraw')
  @HttpCode(200)
  @ApiErrors(IdeaErrors.MANAGE_TOKEN_INVALID, IdeaErrors.IDEA_STATE_CONFLICT)
  withdraw(@Body() body: ManageTokenDto): Promise<WithdrawnIdeaDto> {
    return this.links.withdraw(body.token);
  }

  /**
   * Erases the submitter's name, e-mail, IP hash and consent record (and withdraws the idea where
   * it still can be); the idea's receipt stays verifiable. The link stops working.
   */
  @Post('erase')
  @HttpCode(200)
  @ApiErrors(IdeaErrors.MANAGE_TOKEN_INVALID)
  erase(@Body() body: ManageTokenDto): Promise<ErasedIdeaDto> {
    return this.links.erase(body.token);
  }
}
