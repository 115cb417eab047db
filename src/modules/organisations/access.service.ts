import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { AuthUser } from '../../shared/auth/auth-user';
import type { Role } from '../../shared/auth/roles';
import { CommonErrors, notFound } from '../../shared/errors/common.errors';
import { DomainError } from '../../shared/errors/domain-error';

export type OrganisationAction = 'read' | 'manage';

/**
 * The one answer to "may this caller see / act on this object?". Deny by default: an object
 * the caller may not see is a 404 whether or not it exists; seeing it but lacking the role is
 * a 403.
 */
@Injectable()
export class AccessService {
  constructor(@InjectDataSource() private readonly ds: DataSource) {}

  async organisation(user: AuthUser, organisationId: string, action: OrganisationAction): Promise<void> {
    const member = user.organisationId === organisationId;
    switch (action) {
      case 'read':
        if (member) return;
        if (user.role === 'operator' && (await this.exists('organisations', organisationId))) return;
        throw notFound('Organisation not found');
      case 'manage':
        if (!member) throw notFound('Organisation not found');
        if (user.role !== 'admin') throw new DomainError(CommonErrors.FORBIDDEN, 'Only an admin can do this');
        return;
    }
  }

  /**
   * SQL predicate: may the caller see brief `b`? The parameters hold the caller's organisation
   * id, role and organisation kind. The owner sees its briefs in any state, the operator reads
   * everything; otherwise a brief is visible once published: an open brief to broadcasters and
   * verified studios, an invited one to the studios invited.
   */
  static briefVisibleSql(b: string, orgParam: string, roleParam: string, kindParam: string): string {
    return `(${b}.broadcaster_id = ${orgParam}::uuid OR ${roleParam}::text = 'operator'
      OR (${b}.published_at IS NOT NULL AND (
            (${b}.visibility = 'open' AND (${kindParam}::text = 'broadcaster'
               OR EXISTS (SELECT 1 FROM organisations vo WHERE vo.id = ${orgParam}::uuid AND vo.verified_at IS NOT NULL)))
         OR (${b}.visibility = 'invited' AND EXISTS (
               SELECT 1 FROM brief_invitations vi WHERE vi.brief_id = ${b}.id AND vi.studio_id = ${orgParam}::uuid)))))`;
  }

  /** The parameters briefVisibleSql expects, in order. */
  static callerParams(user: AuthUser): [string, string, string] {
    return [user.organisationId, user.role, user.organisationKind];
  }

  /**
   * Acting for the organisation that owns an object the caller can already see: outside that
   * organisation it is a 404 (nothing to act on), inside it without one of `roles` a 403.
   */
  assertOwnerRole(
    user: AuthUser,
    ownerOrganisationId: string,
    roles: readonly Role[],
    what = 'Not found',
  ): void {
    if (user.organisationId !== ownerOrganisationId) throw notFound(what);
    if (!roles.includes(user.role)) {
      throw new DomainError(CommonErrors.FORBIDDEN, `This needs one of the roles: ${roles.join(', ')}`);
    }
  }

  private async exists(table: 'organisations', id: string): Promise<boolean> {
    const rows = await this.ds.query<unknown[]>(`SELECT 1 FROM ${table} WHERE id = $1`, [id]);
    return rows.length > 0;
  }
}
