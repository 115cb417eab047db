import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import type { FastifyRequest } from 'fastify';
import { Strategy } from 'passport-local';
import { AuthService, type CredentialUser } from './auth.service';

@Injectable()
export class LocalStrategy extends PassportStrategy(Strategy, 'local') {
  constructor(private readonly auth: AuthService) {
    // The request, for the client address of the failed-login limit (req.ip honours TRUST_PROXY).
    super({ usernameField: 'email', passwordField: 'password', passReqToCallback: true });
  }

  validate(req: FastifyRequest, email: string, password: string): Promise<CredentialUser> {
    return this.auth.checkCredentials(email, password, req.ip);
  }
}
