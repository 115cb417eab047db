import { AuditErrors } from './modules/audit/audit.errors';
import { BidErrors } from './modules/bids/bids.errors';
import { BriefErrors } from './modules/briefs/briefs.errors';
import { ContractErrors } from './modules/contracts/contracts.errors';
import { DeliverableErrors } from './modules/deliverables/deliverables.errors';
import { QcErrors } from './modules/deliverables/qc/qc.errors';
import { FinanceErrors } from './modules/finance/finance.errors';
import { WebhookErrors } from './modules/notifications/webhooks/webhooks.errors';
import { IdeaErrors } from './modules/ideas/ideas.errors';
import { IdentityErrors } from './modules/identity/identity.errors';
import { OrganisationErrors } from './modules/organisations/organisations.errors';
import { LocalContentErrors } from './modules/transparency/local-content/local-content.errors';
import { CommonErrors } from './shared/errors/common.errors';
import { constraintMap } from './shared/errors/domain-error';

/**
 * Every module's declared errors, in one place: the problem filter answers a violated database
 * constraint with the code that declares it (shared/ may not import modules, so the map is built
 * here, at the root, and handed to the filter by bootstrap.ts). A module whose errors are not
 * listed here has its constraint violations answered as 500s: error-registry.spec.ts checks every
 * constraint of the migrations against this map.
 */
export const MODULE_ERRORS = {
  CommonErrors,
  IdentityErrors,
  OrganisationErrors,
  BriefErrors,
  BidErrors,
  ContractErrors,
  DeliverableErrors,
  QcErrors,
  FinanceErrors,
  IdeaErrors,
  WebhookErrors,
  LocalContentErrors,
  AuditErrors,
} as const;

/** Constraint name → the error its violation answers with; built (and checked) at load. */
export const ERRORS_BY_CONSTRAINT = constraintMap(Object.values(MODULE_ERRORS));
