import { ORGANISATION_KINDS, ROLES, type OrganisationKind, type Role } from '../../../shared/auth/roles';
import { ApiProperty } from '@nestjs/swagger';

export class OrganisationRefDto {
  id: string;
  name: string;
  @ApiProperty({ enum: ORGANISATION_KINDS })
  kind: OrganisationKind;
}

export class UserDto {
  id: string;
  email: string;
  fullName: string;
  @ApiProperty({ enum: ROLES })
  role: Role;
  organisation: OrganisationRefDto;
}

export class MeDto extends UserDto {
  /** Language of e-mails and in-app titles: kk, ru or en (null: English). */
  language: string | null;
  /** E-mail at all (in-app notifications are always on). */
  emailNotifications: boolean;
  /** Notification types delivered in-app only. */
  emailMutedTypes: string[];
}

export class TokenPairDto {
  accessToken: string;
  refreshToken: string;
  /** Seconds until the access token expires. */
  expiresIn: number;
}

export class LoginResponseDto extends TokenPairDto {
  user: UserDto;
}
