import type { AuthUser } from './auth-user';
import { ORGANISATION_KINDS, type OrganisationKind, type Role } from './roles';

/**
 * A named access policy: who may call a route (or act in a rule that depends on the object).
 * `Public` needs no token, `AnyUser` any authenticated caller; the others need an organisation
 * of one of `kinds` and one of `roles`. The global PolicyGuard enforces the policy declared with
 * `@Allow(Policy.X)` on every route (a test fails on a route without one); failing it is a 403.
 * Object access (which brief, which contract) is AccessService's, after the policy passed.
 */
export class AccessPolicy {
  constructor(
    readonly name: string,
    readonly kinds: readonly OrganisationKind[] | 'public' | 'any',
    readonly roles: readonly Role[] = [],
  ) {}

  get isPublic(): boolean {
    return this.kinds === 'public';
  }

  allows(user: Pick<AuthUser, 'role' | 'organisationKind'> | undefined): boolean {
    if (this.kinds === 'public') return true;
    if (!user) return false;
    if (this.kinds === 'any') return true;
    return this.kinds.includes(user.organisationKind) && this.roles.includes(user.role);
  }

  /** The 403 message, as the role check has always worded it. */
  get deniedMessage(): string {
    return `This needs one of the roles: ${this.roles.join(', ')}`;
  }
}

const ALL_KINDS = ORGANISATION_KINDS;

/**
 * Every policy of the API. Role lists are those each route allowed before policies existed;
 * kinds stay "all kinds" where a role is held in several kinds of organisation (admin), so that
 * e.g. a studio admin on a broadcaster route still reaches the object check (404/403) as before.
 */
export const Policy = {
  /** No token needed (login, register, refresh, health, metrics: metrics checks its own token). */
  Public: new AccessPolicy('Public', 'public'),
  /** Any authenticated caller; object access decides the rest. */
  AnyUser: new AccessPolicy('AnyUser', 'any'),
  /** Create, edit, publish, close briefs; evaluate bids; award; draft contracts (broadcaster). */
  ManageBriefs: new AccessPolicy('ManageBriefs', ALL_KINDS, ['commissioner', 'admin']),
  /** Ask questions, bid, withdraw, upload deliverables (studio). */
  Bid: new AccessPolicy('Bid', ALL_KINDS, ['producer', 'admin']),
  /** Sign a contract, for either party. */
  Sign: new AccessPolicy('Sign', ALL_KINDS, ['commissioner', 'admin', 'producer']),
  /** Who signs (and accepts milestones) for the broadcaster. */
  SignForBroadcaster: new AccessPolicy('SignForBroadcaster', ['broadcaster'], ['commissioner', 'admin']),
  /** Who signs (and submits deliverables) for the studio. */
  SignForStudio: new AccessPolicy('SignForStudio', ['studio'], ['admin', 'producer']),
  /** Finance of either party (invoices, payouts). */
  Finance: new AccessPolicy('Finance', ['broadcaster', 'studio'], ['finance', 'admin']),
  /** The organisation's admin (profile, members, webhooks). */
  OrgAdmin: new AccessPolicy('OrgAdmin', ALL_KINDS, ['admin']),
  /** Read the audit log (an admin reads its organisation's part). */
  AuditRead: new AccessPolicy('AuditRead', ALL_KINDS, ['admin', 'operator']),
  /** The platform operator. */
  Operator: new AccessPolicy('Operator', ALL_KINDS, ['operator']),
  /** Who acts for a studio on a brief (asks questions, bids) and hears of its changes. */
  StudioActor: new AccessPolicy('StudioActor', ['studio'], ['producer', 'admin']),
  /** Any member of a broadcaster, and the operator: the local-content report. */
  BroadcasterOrOperator: new AccessPolicy(
    'BroadcasterOrOperator',
    ['broadcaster', 'platform'],
    ['admin', 'commissioner', 'finance', 'operator'],
  ),
  /** Finance of the broadcaster (who pays): payouts and the finance reports. */
  FinanceForBroadcaster: new AccessPolicy('FinanceForBroadcaster', ['broadcaster'], ['finance', 'admin']),
} as const;

export type PolicyName = keyof typeof Policy;
