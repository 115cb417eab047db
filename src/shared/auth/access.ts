import type { EntityManager } from 'typeorm';
import { CommonErrors } from '../errors/common.errors';
import { DomainError } from '../errors/domain-error';
import type { AuthUser } from './auth-user';
import type { AccessPolicy } from './policies';

/**
 * How one kind of object is reached, declared by the module that owns
 * its table: `load` answers the object as the caller may see it, and `actions` lists, per
 * action, who may take it. The one rule for every object of the API lives in `requireAccess`:
 *
 * - not there, or not visible to the caller → 404 (whether it exists is nobody else's business);
 * - visible, but the action is not listed or its rule refuses the caller → 403.
 *
 * Deny by default: an action a resource does not list is refused.
 */
export interface ResourceAccess<R, A extends string> {
  /** The noun of the 404 ("Contract not found"). */
  readonly noun: string;
  /** The object if it exists and the caller may see it; `lock` takes it FOR UPDATE. */
  load(em: EntityManager, user: AuthUser, id: string, lock: boolean): Promise<R | undefined>;
  /** Who may take each action on an object they can see: a policy, or a rule over the object. */
  readonly actions: Readonly<Record<A, AccessPolicy | ((user: AuthUser, row: R) => boolean)>>;
}

export interface RequireOptions {
  lock?: boolean;
}

/** The object, when the caller may see it and take `action` on it; 404 or 403 otherwise. */
export async function requireAccess<R, A extends string>(
  resource: ResourceAccess<R, A>,
  em: EntityManager,
  user: AuthUser,
  id: string,
  action: A,
  options: RequireOptions = {},
): Promise<R> {
  const row = await resource.load(em, user, id, options.lock ?? false);
  if (row === undefined) throw new DomainError(CommonErrors.NOT_FOUND, `${resource.noun} not found`);
  assertAllowed(resource, user, row, action);
  return row;
}

/** The 403 half of `requireAccess`, for an object already loaded as visible. */
export function assertAllowed<R, A extends string>(
  resource: ResourceAccess<R, A>,
  user: AuthUser,
  row: R,
  action: A,
): void {
  const rule = (resource.actions as Partial<Record<A, ResourceAccess<R, A>['actions'][A]>>)[action];
  const allowed =
    rule === undefined ? false : typeof rule === 'function' ? rule(user, row) : rule.allows(user);
  if (!allowed) {
    const detail =
      rule !== undefined && typeof rule !== 'function'
        ? rule.deniedMessage
        : 'You are not allowed to do this';
    throw new DomainError(CommonErrors.FORBIDDEN, detail);
  }
}
