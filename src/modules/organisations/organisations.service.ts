import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import type { AuthUser } from '../../shared/auth/auth-user';
import { roleAllowedFor } from '../../shared/auth/roles';
import { notFound } from '../../shared/errors/common.errors';
import { DomainError } from '../../shared/errors/domain-error';
import type { Page, PageQuery } from '../../shared/http/pagination';
import { OutboxService } from '../../shared/outbox/outbox.service';
import { AuditService } from '../audit/audit.service';
import { AuthService, toUserDto } from '../identity/auth.service';
import type { LoginResponseDto } from '../identity/dto/auth-responses.dto';
import { hashPassword } from '../identity/passwords';
import { UsersService } from '../identity/users.service';
import { AccessService } from './access.service';
import type {
  MemberDto,
  NewMemberDto,
  OrganisationDto,
  RegisterDto,
  UpdateOrganisationDto,
} from './dto/organisation.dto';
import { OrganisationErrors } from './organisations.errors';
import { OrganisationsRepository, toOrganisationDto, type OrganisationRow } from './organisations.repository';

export interface RegisterResult extends LoginResponseDto {
  organisation: OrganisationDto;
}

@Injectable()
export class OrganisationsService {
  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly access: AccessService,
    private readonly auth: AuthService,
    private readonly audit: AuditService,
    private readonly outbox: OutboxService,
    private readonly users: UsersService,
    private readonly repository: OrganisationsRepository,
  ) {}

  /** A new organisation and its first admin, signed in. */
  async register(dto: RegisterDto): Promise<RegisterResult> {
    const passwordHash = await hashPassword(dto.user.password);
    return this.ds.transaction(async (em) => {
      const org = await this.repository.insert(em, dto.organisation);
      const organisation = toOrganisationDto(org);
      const member = await this.users.createUser(em, org.id, { ...dto.user, role: 'admin' }, passwordHash);
      await this.audit.record(em, {
        actorId: member.id,
        organisationId: organisation.id,
        action: 'organisation.registered',
        entityType: 'organisation',
        entityId: organisation.id,
        after: { ...organisation, admin: { id: member.id, email: member.email } },
      });
      const user = {
        id: member.id,
        email: member.email,
        fullName: member.fullName,
        role: member.role,
        organisationId: organisation.id,
        organisationName: organisation.name,
        organisationKind: organisation.kind,
      };
      const tokens = await this.auth.startSession(em, user);
      return { ...tokens, user: toUserDto(user), organisation };
    });
  }

  async get(caller: AuthUser, id: string): Promise<OrganisationDto> {
    await this.access.organisation(caller, id, 'read');
    return toOrganisationDto(await this.load(this.ds.manager, id));
  }

  async update(caller: AuthUser, id: string, dto: UpdateOrganisationDto): Promise<OrganisationDto> {
    await this.access.organisation(caller, id, 'manage');
    return this.ds.transaction(async (em) => {
      const before = await this.load(em, id, true);
      if ((dto.vatRate !== undefined || dto.publicBody !== undefined) && before.kind !== 'broadcaster') {
        throw new DomainError(
          OrganisationErrors.NOT_A_BROADCASTER,
          'vatRate and publicBody apply to broadcasters',
        );
      }
      const after = await this.repository.update(em, id, dto);
      const result = toOrganisationDto(after);
      await this.audit.record(em, {
        actorId: caller.id,
        organisationId: id,
        action: 'organisation.updated',
        entityType: 'organisation',
        entityId: id,
        before: toOrganisationDto(before),
        after: result,
      });
      return result;
    });
  }

  /** Operator: marks a studio (or broadcaster) verified; studios must be verified to bid. */
  async verify(caller: AuthUser, id: string): Promise<OrganisationDto> {
    return this.ds.transaction(async (em) => {
      const before = await this.load(em, id, true);
      if (before.kind === 'platform') throw new DomainError(OrganisationErrors.CANNOT_VERIFY_PLATFORM);
      if (before.verified_at) return toOrganisationDto(before); // already verified: nothing changes
      const after = toOrganisationDto(await this.repository.markVerified(em, id));
      await this.audit.record(em, {
        actorId: caller.id,
        organisationId: id,
        action: 'organisation.verified',
        entityType: 'organisation',
        entityId: id,
        before: { verifiedAt: null },
        after: { verifiedAt: after.verifiedAt },
      });
      await this.outbox.emit(em, 'organisation.verified', {
        recipients: { organisationIds: [id], roles: ['admin'] },
        data: { organisationId: id, organisationName: after.name },
      });
      return after;
    });
  }

  async addMember(caller: AuthUser, organisationId: string, dto: NewMemberDto): Promise<MemberDto> {
    await this.access.organisation(caller, organisationId, 'manage');
    const passwordHash = await hashPassword(dto.password);
    return this.ds.transaction(async (em) => {
      const org = await this.load(em, organisationId, true);
      if (!roleAllowedFor(org.kind, dto.role)) {
        throw new DomainError(OrganisationErrors.ROLE_NOT_ALLOWED, `A ${org.kind} has no role ${dto.role}`);
      }
      const member = await this.users.createUser(em, organisationId, dto, passwordHash);
      await this.audit.record(em, {
        actorId: caller.id,
        organisationId,
        action: 'member.added',
        entityType: 'user',
        entityId: member.id,
        after: member,
      });
      await this.outbox.emit(em, 'member.invited', {
        recipients: { userIds: [member.id] },
        data: { organisationName: org.name, role: member.role, email: member.email },
      });
      return member;
    });
  }

  async members(caller: AuthUser, organisationId: string, page: PageQuery): Promise<Page<MemberDto>> {
    await this.access.organisation(caller, organisationId, 'read');
    return this.users.listMembers(this.ds.manager, organisationId, page);
  }

  private async load(em: EntityManager, id: string, lock = false): Promise<OrganisationRow> {
    const row = await this.repository.find(em, id, lock);
    if (!row) throw notFound('Organisation not found');
    return row;
  }

  // --- Owner methods for other modules, in their transaction.

  /** For bids: whether the organisation is verified, its country and BIN (undefined: none). */
  bidderStanding(
    em: EntityManager,
    organisationId: string,
  ): Promise<{ verified: boolean; country: string; bin: string | null } | undefined> {
    return this.repository.standing(em, organisationId);
  }

  /** Those of `ids` that are studios (for another module's use case, in its transaction). */
  studioIdsAmong(em: EntityManager, ids: string[]): Promise<string[]> {
    return this.repository.studioIdsAmong(em, ids);
  }

  /**
   * Locks the organisation row FOR UPDATE, for the caller's transaction: serialises per-organisation
   * checks of other modules (the deliverables storage quota of a studio).
   */
  async lockOrganisation(em: EntityManager, id: string): Promise<void> {
    await this.repository.lock(em, id);
  }
}
