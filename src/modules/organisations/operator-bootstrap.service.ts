import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { InjectConfig } from '../../config/config.module';
import type { AppConfig } from '../../config/env';
import { AuditService } from '../audit/audit.service';
import { hashPassword, verifyPassword } from '../identity/passwords';

/** Creates or updates the platform operator named by OPERATOR_EMAIL / OPERATOR_PASSWORD at start. */
@Injectable()
export class OperatorBootstrap implements OnApplicationBootstrap {
  private readonly logger = new Logger('OperatorBootstrap');

  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly audit: AuditService,
    @InjectConfig() private readonly config: AppConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const { operatorEmail: email, operatorPassword: password } = this.config;
    if (!email || !password) return;
    const passwordHash = await hashPassword(password);
    await this.ds.transaction(async (em) => {
      // Serialises API and worker starting together.
      await em.query('SELECT pg_advisory_xact_lock(7262002)');
      let [platform] = await em.query<
        {
          id: string;
        }[]
      >(`SELECT id FROM organisations WHERE kind = 'platform' LIMIT 1`);
      platform ??= (
        await em.query<{ id: string }[]>(
          `INSERT INTO organisations (name, kind, country, verified_at) VALUES ('Efir platform', 'platform', 'KZ', now())
           RETURNING id`,
        )
      )[0]!;
      const [existing] = await em.query<
        { id: string; organisation_id: string; role: string; password_hash: string }[]
      >('SELECT id, organisation_id, role, password_hash FROM users WHERE email = $1', [email]);
      if (existing && (existing.organisation_id !== platform.id || existing.role !== 'operator')) {
        throw new Error(`OPERATOR_EMAIL ${email} belongs to a user who is not the platform operator`);
      }
      if (existing) {
        if (await verifyPassword(existing.password_hash, password)) return;
        await em.query('UPDATE users SET password_hash = $2, disabled_at = NULL WHERE id = $1', [
          existing.id,
          passwordHash,
        ]);
        await this.audit.record(em, {
          actorId: null,
          organisationId: platform.id,
          action: 'operator.password_reset',
          entityType: 'user',
          entityId: existing.id,
        });
        this.logger.log(`operator ${email} updated`);
        return;
      }
      const [user] = await em.query<{ id: string }[]>(
        `INSERT INTO users (organisation_id, email, full_name, role, password_hash)
         VALUES ($1, $2, 'Platform operator', 'operator', $3) RETURNING id`,
        [platform.id, email, passwordHash],
      );
      await this.audit.record(em, {
        actorId: null,
        organisationId: platform.id,
        action: 'operator.created',
        entityType: 'user',
        entityId: user!.id,
        after: { email },
      });
      this.logger.log(`operator ${email} created`);
    });
  }
}
