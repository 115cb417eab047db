import type { AuthUser } from '../../shared/auth/auth-user';
import { organisationVerifiedSql } from '../organisations/organisation-sql';

/**
 * SQL predicate: may the caller see brief `b`? The parameters hold the caller's organisation
 * id, role and organisation kind (callerParams). The owner sees its briefs in any state, the
 * operator reads everything; otherwise a brief is visible once published: an open brief to
 * broadcasters and verified studios, an invited one to the studios invited. Other modules use
 * it to scope their queries to the briefs a caller may see.
 */
export function briefVisibleSql(b: string, orgParam: string, roleParam: string, kindParam: string): string {
  return `(${b}.broadcaster_id = ${orgParam}::uuid OR ${roleParam}::text = 'operator'
      OR (${b}.published_at IS NOT NULL AND (
            (${b}.visibility = 'open' AND (${kindParam}::text = 'broadcaster'
               OR ${organisationVerifiedSql(`${orgParam}::uuid`)}))
         OR (${b}.visibility = 'invited' AND EXISTS (
               SELECT 1 FROM brief_invitations vi WHERE vi.brief_id = ${b}.id AND vi.studio_id = ${orgParam}::uuid)))))`;
}

/** The parameters briefVisibleSql expects, in order. */
export function callerParams(user: AuthUser): [string, string, string] {
  return [user.organisationId, user.role, user.organisationKind];
}
