import type { Recipients } from '../../shared/outbox/events';

// A read model (it reads identity's `users` and organisations' `organisations`, never writes
// them): notifications imports no feature module (it only consumes outbox events), so it cannot
// call their owners; the audience of an event is a read of those tables, inlined into the
// fan-out statements so each page of recipients costs one round trip.

/**
 * SQL for the audience of a notification event, with only the branches the event uses: the
 * fan-out statements run once per event, thousands of times a second at peak, and a branch
 * that is not there costs the planner nothing. Each function appends its parameters to
 * `params` and returns null when the event names nobody.
 */

const param = (params: unknown[], value: unknown, type: string): string => {
  params.push(value);
  return `$${params.length}::${type}`;
};

/** Ids of the users an event is for (active users only), as a UNION of index-friendly branches. */
export function recipientUsersSql(r: Recipients, params: unknown[]): string | null {
  const branches: string[] = [];
  if (r.userIds?.length) {
    branches.push(
      `SELECT u.id FROM users u WHERE u.id = ANY(${param(params, r.userIds, 'uuid[]')}) AND u.disabled_at IS NULL`,
    );
  }
  if (r.accountHolder) {
    branches.push(
      `SELECT u.id FROM users u WHERE u.id = ${param(params, r.accountHolder, 'uuid')} AND u.disabled_at IS NULL`,
    );
  }
  const role = r.roles?.length ? ` AND u.role = ANY(${param(params, r.roles, 'text[]')})` : '';
  if (r.organisationIds?.length) {
    branches.push(
      `SELECT u.id FROM users u WHERE u.organisation_id = ANY(${param(params, r.organisationIds, 'uuid[]')})
          AND u.disabled_at IS NULL${role}`,
    );
  }
  if (r.studiosInterestedInGenre) {
    branches.push(
      `SELECT u.id FROM organisations o JOIN users u ON u.organisation_id = o.id
        WHERE o.kind = 'studio' AND o.verified_at IS NOT NULL
          AND ${param(params, r.studiosInterestedInGenre, 'text')} = ANY(o.genres) AND u.disabled_at IS NULL${role}`,
    );
  }
  return branches.length ? branches.join('\n  UNION\n  ') : null;
}

/**
 * Ids of the organisations concerned by an event (named, of named users, interested studios).
 * Not the organisation of an `accountHolder`: a notice about one's own account is personal.
 */
export function recipientOrganisationsSql(r: Recipients, params: unknown[]): string | null {
  const branches: string[] = [];
  if (r.organisationIds?.length) {
    branches.push(`SELECT unnest(${param(params, r.organisationIds, 'uuid[]')}) AS id`);
  }
  if (r.userIds?.length) {
    branches.push(
      `SELECT organisation_id AS id FROM users WHERE id = ANY(${param(params, r.userIds, 'uuid[]')})`,
    );
  }
  if (r.studiosInterestedInGenre) {
    branches.push(
      `SELECT o.id FROM organisations o WHERE o.kind = 'studio' AND o.verified_at IS NOT NULL
          AND ${param(params, r.studiosInterestedInGenre, 'text')} = ANY(o.genres)`,
    );
  }
  return branches.length ? branches.join('\n  UNION\n  ') : null;
}

/** The `users` rows of the ids in CTE `page` (the fan-out's recipients, with their settings). */
export function recipientRowsSql(page: string): string {
  return `SELECT u.* FROM users u JOIN ${page} ON ${page}.id = u.id`;
}
