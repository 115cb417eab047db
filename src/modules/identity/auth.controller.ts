import { Body, Controller, Get, HttpCode, Patch, Post, UseGuards } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiOkResponse,
  ApiTags,
  ApiTooManyRequestsResponse,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { AuthThrottlerGuard } from './auth-throttler.guard';
import type { AuthUser } from '../../shared/auth/auth-user';
import { AuthService, type CredentialUser } from './auth.service';
import { CurrentUser, Allow } from '../../shared/auth/decorators';
import { Policy } from '../../shared/auth/policies';
import { LoginResponseDto, MeDto, TokenPairDto } from './dto/auth-responses.dto';
import { LoginDto, RefreshDto, UpdateMeDto } from './dto/login.dto';
import { LocalAuthGuard } from './guards';
import { ApiErrors } from '../../shared/openapi/api-errors';
import { IdentityErrors } from './identity.errors';

@ApiTags('auth')
@Allow(Policy.AnyUser)
@Controller()
export class AuthController {
  constructor(private readonly auth: AuthService) {}

  /** Exchanges e-mail and password for an access token (15 min) and a refresh token. */
  @Allow(Policy.Public)
  @Post('auth/login')
  @HttpCode(200)
  @UseGuards(AuthThrottlerGuard, LocalAuthGuard)
  @ApiOkResponse({ type: LoginResponseDto })
  @ApiUnauthorizedResponse({ description: 'Unknown e-mail or wrong password (indistinguishable)' })
  @ApiTooManyRequestsResponse({
    description:
      'Too many requests from this address, or too many failed logins for this account from this address; see Retry-After',
  })
  @ApiErrors(IdentityErrors.INVALID_CREDENTIALS)
  login(@Body() _body: LoginDto, @CurrentUser() user: AuthUser): Promise<LoginResponseDto> {
    return this.auth.login(user as unknown as CredentialUser);
  }

  /**
   * Rotates the refresh token. Reusing a rotated token revokes the whole family. Not limited per
   * address: the token is a 256-bit secret, nothing to guess, and behind a proxy a per-address
   * budget would be shared by every client.
   */
  @Allow(Policy.Public)
  @Post('auth/refresh')
  @HttpCode(200)
  @ApiErrors(IdentityErrors.INVALID_REFRESH_TOKEN)
  refresh(@Body() body: RefreshDto): Promise<TokenPairDto> {
    return this.auth.refresh(body.refreshToken);
  }

  /** Revokes the caller's refresh-token family. Access tokens already issued expire within 15 min. */
  @ApiBearerAuth()
  @Post('auth/logout')
  @HttpCode(204)
  async logout(@CurrentUser() user: AuthUser): Promise<void> {
    await this.auth.logout(user);
  }

  @ApiBearerAuth()
  @ApiTags('me')
  @Get('me')
  me(@CurrentUser() user: AuthUser): Promise<MeDto> {
    return this.auth.me(user.id);
  }

  /** Language and e-mail settings (mute all e-mail, or some notification types). */
  @ApiBearerAuth()
  @ApiTags('me')
  @Patch('me')
  updateMe(@CurrentUser() user: AuthUser, @Body() body: UpdateMeDto): Promise<MeDto> {
    return this.auth.updateMe(user, body);
  }
}
