import { Module } from '@nestjs/common';
import { IdentityModule } from '../identity/identity.module';
import { AccessService } from './access.service';
import { OperatorBootstrap } from './operator-bootstrap.service';
import { OrganisationsController } from './organisations.controller';
import { OrganisationsRepository } from './organisations.repository';
import { OrganisationsService } from './organisations.service';

@Module({
  imports: [IdentityModule],
  controllers: [OrganisationsController],
  providers: [OrganisationsService, AccessService, OperatorBootstrap, OrganisationsRepository],
  exports: [OrganisationsService, AccessService],
})
export class OrganisationsModule {}
