import { Body, Controller, Get, HttpCode, Ip, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Allow } from '../../shared/auth/decorators';
import { Policy } from '../../shared/auth/policies';
import { CommonErrors } from '../../shared/errors/common.errors';
import { ApiErrors } from '../../shared/openapi/api-errors';
import {
  FormTokenDto,
  IdeaSubmissionDto,
  ReceiptVerificationDto,
  SubmitIdeaDto,
  VerifyReceiptDto,
} from './dto/idea-submission.dto';
import { IdeaSubmissionService } from './idea-submission.service';
import { IdeaErrors } from './ideas.errors';

/** Viewers' side of ideas: no account, so every write is checked against abuse. */
@ApiTags('ideas')
@Allow(Policy.Public)
@Controller()
export class PublicIdeasController {
  constructor(private readonly submissions: IdeaSubmissionService) {}

  /** A single-use form token for an open call (any other call is not found). */
  @Get('public/idea-calls/:id/form')
  form(@Param('id', ParseUUIDPipe) id: string): Promise<FormTokenDto> {
    return this.submissions.form(id);
  }

  /**
   * Submits an idea to an open call and returns its signed receipt and the call's approved ideas
   * that read alike. Refused with nothing stored, cheapest check first: a filled honeypot; a form
   * token that is forged, for another call or older than 24 h; a form sent sooner than
   * IDEA_MIN_FORM_SECONDS after it was issued; too many ideas from the address (429 with
   * Retry-After); a disposable e-mail domain; no consent; a call closed or cancelled since the
   * form was issued (409); a form token already used.
   */
  @Post('public/idea-calls/:id/ideas')
  @ApiErrors(
    IdeaErrors.HONEYPOT,
    IdeaErrors.FORM_TOKEN_INVALID,
    IdeaErrors.FORM_TOO_FAST,
    CommonErrors.RATE_LIMITED,
    IdeaErrors.EMAIL_DISPOSABLE,
    IdeaErrors.CONSENT_REQUIRED,
    IdeaErrors.IDEA_CALL_CLOSED,
  )
  submit(
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: SubmitIdeaDto,
    @Ip() ip: string,
  ): Promise<IdeaSubmissionDto> {
    return this.submissions.submit(id, body, ip);
  }

  /** Whether Efir received an idea with this id and receipt hash: still true after rejection or erasure. */
  @Post('public/receipts/verify')
  @HttpCode(200)
  verify(@Body() body: VerifyReceiptDto): Promise<ReceiptVerificationDto> {
    return this.submissions.verify(body.ideaId, body.sha256);
  }
}
