import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { InjectConfig } from '../../config/config.module';
import type { AppConfig } from '../../config/env';
import { AuditService } from '../audit/audit.service';
import { hashPassword, verifyPassword } from '../identity/passwords';
import { UsersService } from '../identity/users.service';
import { OrganisationsRepository } from './organisations.repository';

/** Creates or updates the platform operator named by OPERATOR_EMAIL / OPERATOR_PASSWORD at start. */
@Injectable()
export class OperatorBootstrap implements OnApplicationBootstrap {
  private readonly logger = new Logger('OperatorBootstrap');

  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly audit: AuditService,
    private readonly users: UsersService,
    private readonly organisations: OrganisationsRepository,
    @InjectConfig() private readonly config: AppConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const { operatorEmail: email, operatorPassword: password } = this.config;
    if (!email || !password) return;
    const passwordHash = await hashPassword(password);
    await this.ds.transaction(async (em) => {
      // Serialises API and worker starting together.
      await this.organisations.lockOperatorBootstrap(em);
      const platformId = await this.organisations.platformId(em);
      const existing = await this.users.findByEmail(em, email);
      if (existing && (existing.organisation_id !== platformId || existing.role !== 'operator')) {
        throw new Error(`OPERATOR_EMAIL ${email} belongs to a user who is not the platform operator`);
      }
      if (existing) {
        if (await verifyPassword(existing.password_hash, password)) return;
        await this.users.setPassword(em, existing.id, passwordHash);
        await this.audit.record(em, {
          actorId: null,
          organisationId: platformId,
          action: 'operator.password_reset',
          entityType: 'user',
          entityId: existing.id,
        });
        this.logger.log(`operator ${email} updated`);
        return;
      }
      const userId = await this.users.createOperator(em, platformId, email, passwordHash);
      await this.audit.record(em, {
        actorId: null,
        organisationId: platformId,
        action: 'operator.created',
        entityType: 'user',
        entityId: userId,
        after: { email },
      });
      this.logger.log(`operator ${email} created`);
    });
  }
}
