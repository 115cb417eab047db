import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { assertAllowed, requireAccess, type ResourceAccess } from '../../shared/auth/access';
import type { AuthUser } from '../../shared/auth/auth-user';
import { AccessPolicy } from '../../shared/auth/policies';
import { ORGANISATION_KINDS, type Role } from '../../shared/auth/roles';
import { notFound } from '../../shared/errors/common.errors';
import { organisationAccess, type OrganisationAction, type VisibleOrganisation } from './organisation.access';
import { OrganisationsRepository } from './organisations.repository';

export type { OrganisationAction } from './organisation.access';

/** An object owned by an organisation, as assertOwnerRole sees it. */
interface OwnedObject {
  organisationId: string;
}

/**
 * The one answer to "may this caller see / act on this object?". Deny by default: an object
 * the caller may not see is a 404 whether or not it exists; seeing it but lacking the role is
 * a 403.
 */
@Injectable()
export class AccessService {
  private readonly organisations: ResourceAccess<VisibleOrganisation, OrganisationAction>;

  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    repository: OrganisationsRepository,
  ) {
    this.organisations = organisationAccess((em, id) => repository.exists(em, id));
  }

  async organisation(user: AuthUser, organisationId: string, action: OrganisationAction): Promise<void> {
    await requireAccess(this.organisations, this.ds.manager, user, organisationId, action);
  }

  /**
   * Acting for the organisation that owns an object the caller can already see: outside that
   * organisation it is a 404 (nothing to act on), inside it without one of `roles` a 403.
   */
  assertOwnerRole(
    user: AuthUser,
    ownerOrganisationId: string,
    roles: AccessPolicy | readonly Role[],
    what = 'Not found',
  ): void {
    if (user.organisationId !== ownerOrganisationId) throw notFound(what);
    const policy =
      roles instanceof AccessPolicy ? roles : new AccessPolicy('OwnerRoles', ORGANISATION_KINDS, roles);
    const owned: ResourceAccess<OwnedObject, 'act'> = {
      noun: what,
      // Never loaded: the caller already holds the object, only the role is in question.
      load: () => Promise.resolve(undefined),
      actions: { act: policy },
    };
    assertAllowed(owned, user, { organisationId: ownerOrganisationId }, 'act');
  }
}
