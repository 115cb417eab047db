import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { JwtModule } from '@nestjs/jwt';
import { PassportModule } from '@nestjs/passport';
import { ThrottlerModule } from '@nestjs/throttler';
import { APP_CONFIG } from '../../config/config.module';
import type { AppConfig } from '../../config/env';
import { AuditModule } from '../audit/audit.module';
import { AuthThrottlerGuard } from './auth-throttler.guard';
import { AuthController } from './auth.controller';
import { AuthUserReadModel } from './auth-user.read-model';
import { AuthService } from './auth.service';
import { JwtAuthGuard, PolicyGuard } from './guards';
import { jwtModuleOptions } from './jwt.config';
import { JwtStrategy } from './jwt.strategy';
import { LocalStrategy } from './local.strategy';
import { LoginAttemptsService } from './login-attempts.service';
import { InMemoryLoginAttemptStore, LOGIN_ATTEMPT_STORE } from './login-attempts.store';
import { createAuthenticator, PASSPORT } from './passport';
import { SessionsRepository } from './repositories/sessions.repository';
import { UsersRepository } from './repositories/users.repository';
import { UsersService } from './users.service';

@Module({
  imports: [
    AuditModule,
    PassportModule,
    JwtModule.registerAsync({ inject: [APP_CONFIG], useFactory: jwtModuleOptions }),
    ThrottlerModule.forRootAsync({
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => {
        const ttl = config.loginRateLimit.windowSeconds * 1000;
        return { setHeaders: false, throttlers: [{ name: 'ip', ttl, limit: config.loginRateLimit.perIp }] };
      },
    }),
  ],
  controllers: [AuthController],
  providers: [
    AuthService,
    UsersService,
    AuthUserReadModel,
    SessionsRepository,
    UsersRepository,
    JwtStrategy,
    LocalStrategy,
    AuthThrottlerGuard,
    LoginAttemptsService,
    { provide: LOGIN_ATTEMPT_STORE, useClass: InMemoryLoginAttemptStore },
    {
      provide: PASSPORT,
      inject: [JwtStrategy, LocalStrategy],
      useFactory: (jwt: JwtStrategy, local: LocalStrategy) => createAuthenticator({ jwt, local }),
    },
    { provide: APP_GUARD, useClass: JwtAuthGuard },
    { provide: APP_GUARD, useClass: PolicyGuard },
  ],
  exports: [AuthService, UsersService, AuthThrottlerGuard, ThrottlerModule, JwtModule, PASSPORT],
})
export class IdentityModule {}
