import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import type { AuthUser } from '../../shared/auth/auth-user';
import { roleAllowedFor, type OrganisationKind, type Role } from '../../shared/auth/roles';
import { notFound } from '../../shared/errors/common.errors';
import { DomainError } from '../../shared/errors/domain-error';
import { cursorTsSql, decodeCursor, toPage, type Page, type PageQuery } from '../../shared/http/pagination';
import { OutboxService } from '../../shared/outbox/outbox.service';
import { AuditService } from '../audit/audit.service';
import { AuthService, toUserDto } from '../identity/auth.service';
import type { LoginResponseDto } from '../identity/dto/auth-responses.dto';
import { hashPassword } from '../identity/passwords';
import { AccessService } from './access.service';
import type {
  MemberDto,
  NewMemberDto,
  OrganisationDto,
  RegisterDto,
  UpdateOrganisationDto,
} from './dto/organisation.dto';
import { OrganisationErrors } from './organisations.errors';

export interface RegisterResult extends LoginResponseDto {
  organisation: OrganisationDto;
}

interface OrganisationRow {
  id: string;
  name: string;
  kind: OrganisationKind;
  country: string;
  bin: string | null;
  genres: string[];
  vat_rate: string | null;
  public_body: boolean;
  verified_at: Date | null;
  created_at: Date;
}

const ORG_COLUMNS = 'id, name, kind, country, bin, genres, vat_rate, public_body, verified_at, created_at';

const toOrganisationDto = (r: OrganisationRow): OrganisationDto => ({
  id: r.id,
  name: r.name,
  kind: r.kind,
  country: r.country,
  bin: r.bin,
  genres: r.genres,
  vatRate: r.vat_rate === null ? null : Number(r.vat_rate),
  publicBody: r.public_body,
  verified: r.verified_at !== null,
  verifiedAt: r.verified_at?.toISOString() ?? null,
  createdAt: r.created_at.toISOString(),
});

interface MemberRow {
  id: string;
  email: string;
  full_name: string;
  role: Role;
  created_at: Date;
  cursor_ts: string;
}

const toMemberDto = (r: Omit<MemberRow, 'cursor_ts'>): MemberDto => ({
  id: r.id,
  email: r.email,
  fullName: r.full_name,
  role: r.role,
  createdAt: r.created_at.toISOString(),
});

@Injectable()
export class OrganisationsService {
  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly access: AccessService,
    private readonly auth: AuthService,
    private readonly audit: AuditService,
    private readonly outbox: OutboxService,
  ) {}

  /** A new organisation and its first admin, signed in. */
  async register(dto: RegisterDto): Promise<RegisterResult> {
    const passwordHash = await hashPassword(dto.user.password);
    return this.ds.transaction(async (em) => {
      const [org] = await em.query<OrganisationRow[]>(
        `INSERT INTO organisations (name, kind, country, bin) VALUES ($1, $2, $3, $4) RETURNING ${ORG_COLUMNS}`,
        [
          dto.organisation.name,
          dto.organisation.kind,
          dto.organisation.country,
          dto.organisation.bin ?? null,
        ],
      );
      const organisation = toOrganisationDto(org!);
      const member = await this.insertUser(em, org!.id, { ...dto.user, role: 'admin' }, passwordHash);
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
      const [after] = await em.query<[OrganisationRow[], number]>(
        `UPDATE organisations
            SET name = coalesce($2, name),
                genres = coalesce($3::text[], genres),
                vat_rate = CASE WHEN $4::boolean THEN $5::numeric ELSE vat_rate END,
                public_body = coalesce($6, public_body),
                updated_at = now()
          WHERE id = $1 RETURNING ${ORG_COLUMNS}`,
        [
          id,
          dto.name ?? null,
          dto.genres ? [...new Set(dto.genres)] : null,
          dto.vatRate !== undefined,
          dto.vatRate ?? null,
          dto.publicBody ?? null,
        ],
      );
      const result = toOrganisationDto(after[0]!);
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
      const [rows] = await em.query<[OrganisationRow[], number]>(
        `UPDATE organisations SET verified_at = now(), updated_at = now() WHERE id = $1 RETURNING ${ORG_COLUMNS}`,
        [id],
      );
      const after = toOrganisationDto(rows[0]!);
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
      const member = await this.insertUser(em, organisationId, dto, passwordHash);
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
    const after = decodeCursor(page.cursor);
    const rows = await this.ds.query<MemberRow[]>(
      `SELECT id, email, full_name, role, created_at, ${cursorTsSql('created_at')} AS cursor_ts
         FROM users
        WHERE organisation_id = $1 AND disabled_at IS NULL
          AND ($2::timestamptz IS NULL OR (created_at, id) < ($2::timestamptz, $3::uuid))
        ORDER BY created_at DESC, id DESC
        LIMIT $4`,
      [organisationId, after?.ts ?? null, after?.id ?? null, page.limit + 1],
    );
    return toPage(rows, page.limit, toMemberDto);
  }

  private async insertUser(
    em: EntityManager,
    organisationId: string,
    u: { email: string; fullName: string; role: Role; language?: string },
    passwordHash: string,
  ): Promise<MemberDto> {
    const [row] = await em.query<MemberRow[]>(
      `INSERT INTO users (organisation_id, email, full_name, role, language, password_hash)
       VALUES ($1, $2, $3, $4, $5, $6) RETURNING id, email, full_name, role, created_at`,
      [organisationId, u.email.toLowerCase(), u.fullName, u.role, u.language ?? null, passwordHash],
    );
    return toMemberDto(row!);
  }

  private async load(em: EntityManager, id: string, lock = false): Promise<OrganisationRow> {
    const [row] = await em.query<OrganisationRow[]>(
      `SELECT ${ORG_COLUMNS} FROM organisations WHERE id = $1 ${lock ? 'FOR UPDATE' : ''}`,
      [id],
    );
    if (!row) throw notFound('Organisation not found');
    return row;
  }

  /**
   * Locks the organisation row FOR UPDATE, for the caller's transaction: serialises per-organisation
   * checks of other modules (the deliverables storage quota of a studio).
   */
  async lockOrganisation(em: EntityManager, id: string): Promise<void> {
    await em.query('SELECT 1 FROM organisations WHERE id = $1 FOR UPDATE', [id]);
  }
}
