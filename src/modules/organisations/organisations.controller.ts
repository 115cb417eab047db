import {
  Body,
  Controller,
  Get,
  HttpCode,
  Param,
  ParseUUIDPipe,
  Patch,
  Post,
  Query,
  UseGuards,
} from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiTags } from '@nestjs/swagger';
import type { AuthUser } from '../../shared/auth/auth-user';
import { CurrentUser, Allow } from '../../shared/auth/decorators';
import { Policy } from '../../shared/auth/policies';
import { PageQuery } from '../../shared/http/pagination';
import { AuthThrottlerGuard } from '../identity/auth-throttler.guard';
import {
  MemberDto,
  MemberPageDto,
  NewMemberDto,
  OrganisationDto,
  RegisterDto,
  RegisteredDto,
  UpdateOrganisationDto,
} from './dto/organisation.dto';
import { OrganisationsService, type RegisterResult } from './organisations.service';
import { ApiErrors } from '../../shared/openapi/api-errors';
import { IdentityErrors } from '../identity/identity.errors';
import { OrganisationErrors } from './organisations.errors';

@ApiTags('organisations')
@Allow(Policy.AnyUser)
@Controller()
export class OrganisationsController {
  constructor(private readonly organisations: OrganisationsService) {}

  /** Registers a broadcaster or studio with its first admin, and signs that admin in. */
  @Allow(Policy.Public)
  @Post('auth/register')
  @ApiCreatedResponse({ type: RegisteredDto })
  @UseGuards(AuthThrottlerGuard)
  @ApiTags('auth')
  @ApiErrors(OrganisationErrors.ORGANISATION_EXISTS, IdentityErrors.EMAIL_TAKEN)
  register(@Body() body: RegisterDto): Promise<RegisterResult> {
    return this.organisations.register(body);
  }

  @ApiBearerAuth()
  @Get('organisations/:id')
  get(@CurrentUser() user: AuthUser, @Param('id', ParseUUIDPipe) id: string): Promise<OrganisationDto> {
    return this.organisations.get(user, id);
  }

  /** Profile, genres of interest, VAT rate and public-body flag. */
  @ApiBearerAuth()
  @Patch('organisations/:id')
  @Allow(Policy.OrgAdmin)
  @ApiErrors(OrganisationErrors.NOT_A_BROADCASTER)
  update(
    @CurrentUser() user: AuthUser,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: UpdateOrganisationDto,
  ): Promise<OrganisationDto> {
    return this.organisations.update(user, id, body);
  }

  @ApiBearerAuth()
  @Post('organisations/:id/verify')
  @HttpCode(200)
  @Allow(Policy.Operator)
  @ApiErrors(OrganisationErrors.CANNOT_VERIFY_PLATFORM)
  verify(@CurrentUser() user: AuthUser, @Param('id', ParseUUIDPipe) id: string): Promise<OrganisationDto> {
    return this.organisations.verify(user, id);
  }

  /** Adds a member; they receive an invitation e-mail. */
  @ApiBearerAuth()
  @Post('organisations/:id/members')
  @Allow(Policy.OrgAdmin)
  @ApiErrors(OrganisationErrors.ROLE_NOT_ALLOWED, IdentityErrors.EMAIL_TAKEN)
  addMember(
    @CurrentUser() user: AuthUser,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: NewMemberDto,
  ): Promise<MemberDto> {
    return this.organisations.addMember(user, id, body);
  }

  @ApiBearerAuth()
  @Get('organisations/:id/members')
  members(
    @CurrentUser() user: AuthUser,
    @Param('id', ParseUUIDPipe) id: string,
    @Query() page: PageQuery,
  ): Promise<MemberPageDto> {
    return this.organisations.members(user, id, page);
  }
}
