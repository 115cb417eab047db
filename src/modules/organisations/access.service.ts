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
