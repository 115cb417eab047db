import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { ExtractJwt, Strategy } from 'passport-jwt';
import { InjectConfig } from '../../config/config.module';
import type { AppConfig } from '../../config/env';
import { isAccessClaims, type AuthUser } from '../../shared/auth/auth-user';
import { JWT_AUDIENCE, JWT_ISSUER, jwtSecretKey, jwtVerifyOptions } from './jwt.config';

@Injectable()
export class JwtStrategy extends PassportStrategy(Strategy, 'jwt') {
  constructor(@InjectConfig() config: AppConfig) {
    super({
      jwtFromRequest: ExtractJwt.fromAuthHeaderAsBearerToken(),
      // passport-jwt hands this straight to jsonwebtoken.verify; its type says string | Buffer,
      // but a KeyObject is what keeps verify fast (see jwt.config.ts).
      secretOrKey: jwtSecretKey(config) as unknown as string,
      algorithms: ['HS256'],
      issuer: JWT_ISSUER,
      audience: JWT_AUDIENCE,
      ignoreExpiration: false,
      jsonWebTokenOptions: { maxAge: jwtVerifyOptions(config).maxAge },
    });
  }

  validate(claims: unknown): AuthUser | false {
    if (!isAccessClaims(claims)) return false;
    return {
      id: claims.sub,
      organisationId: claims.org,
      organisationKind: claims.kind,
      role: claims.role,
      sessionId: claims.sid,
    };
  }
}
