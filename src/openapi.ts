import { ModulesContainer } from '@nestjs/core';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { POLICY } from './shared/auth/decorators';
import type { AccessPolicy } from './shared/auth/policies';
import type { ErrorDef } from './shared/errors/domain-error';
import { API_ERRORS } from './shared/openapi/api-errors';
import type { RouteDoc } from './shared/openapi/complete-document';

/**
 * The name (what a generated client calls the method) and summary of every operation, by the
 * operationId Nest generates (`Controller_method`). A route missing here fails the document.
 */
const OPERATIONS: Record<string, [operationId: string, summary: string]> = {
  AuditController_list: ['listAuditEvents', 'List audit events'],
  AuditController_verify: [
    'verifyAuditChain',
    'Verify the audit log against its Merkle tree and signed heads',
  ],
  PublicAuditController_latest: ['getLatestTreeHead', 'Get the latest signed audit tree head'],
  PublicAuditController_heads: ['listTreeHeads', 'List signed audit tree heads'],
  PublicAuditController_inclusion: ['getInclusionProof', 'Get an audit inclusion proof'],
  PublicAuditController_consistency: ['getConsistencyProof', 'Get an audit consistency proof'],
  KeysController_list: ['listPublicKeys', "List Efir's public signing keys"],
  AuthController_login: ['login', 'Log in'],
  AuthController_refresh: ['refreshTokens', 'Refresh the token pair'],
  AuthController_logout: ['logout', 'Log out'],
  AuthController_me: ['getMe', 'Get the current user'],
  AuthController_updateMe: ['updateMe', "Update the current user's settings"],
  OrganisationsController_register: ['register', 'Register an organisation and its first admin'],
  OrganisationsController_get: ['getOrganisation', 'Get an organisation'],
  OrganisationsController_update: ['updateOrganisation', 'Update an organisation'],
  OrganisationsController_verify: ['verifyOrganisation', 'Verify an organisation'],
  OrganisationsController_addMember: ['addMember', 'Add a member'],
  OrganisationsController_members: ['listMembers', 'List members'],
  IdeaCallsController_create: ['createIdeaCall', 'Create an idea call'],
  IdeaCallsController_update: ['updateIdeaCall', 'Update a draft idea call'],
  IdeaCallsController_open: ['openIdeaCall', 'Open an idea call'],
  IdeaCallsController_cancel: ['cancelIdeaCall', 'Cancel an idea call'],
  IdeaCallsController_list: ['listIdeaCalls', "List the broadcaster's idea calls"],
  IdeaCallsController_get: ['getIdeaCall', 'Get an idea call'],
  IdeaCallsController_listPublic: ['listPublicIdeaCalls', 'List open idea calls'],
  IdeaCallsController_getPublic: ['getPublicIdeaCall', 'Get an open idea call'],
  IdeaLinksController_withdraw: ['withdrawIdea', 'Withdraw an idea (submitter link)'],
  IdeaLinksController_erase: ['eraseIdeaSubmitter', "Erase a submitter's personal data (submitter link)"],
  IdeaConversionController_convert: ['convertIdea', 'Convert an idea into a draft brief'],
  PublicIdeasController_form: ['getIdeaForm', 'Get a form token for submitting an idea'],
  PublicIdeasController_submit: ['submitIdea', 'Submit an idea to an open call'],
  PublicIdeasController_verify: ['verifyIdeaReceipt', 'Verify an idea receipt'],
  IdeaVotesController_request: ['requestIdeaVote', 'Ask to vote for an idea (confirmed by e-mail)'],
  IdeaVotesController_confirm: ['confirmIdeaVote', 'Confirm a vote with the e-mailed token'],
  IdeaModerationController_list: ['listCallIdeas', "List an idea call's ideas for moderation"],
  IdeaModerationController_approve: ['approveIdea', 'Approve an idea'],
  IdeaModerationController_reject: ['rejectIdea', 'Reject an idea'],
  IdeaModerationController_shortlist: ['shortlistIdea', 'Shortlist an idea'],
  IdeaModerationController_decline: ['declineIdea', 'Decline an idea with a published answer'],
  IdeaModerationController_hide: ['hideIdea', 'Hide an idea'],
  IdeaModerationController_unhide: ['unhideIdea', 'Make a hidden idea public again'],
  IdeaModerationController_answer: ['answerIdea', 'Publish an answer to an idea'],
  PublishedIdeasController_list: ['listPublicIdeas', "List an idea call's public ideas"],
  PublishedIdeasController_report: ['reportIdea', 'Report a public idea'],
  BriefsController_create: ['createBrief', 'Create a brief'],
  BriefsController_list: ['listBriefs', 'List briefs'],
  BriefsController_get: ['getBrief', 'Get a brief'],
  BriefsController_update: ['updateBrief', 'Update a draft brief'],
  BriefsController_publish: ['publishBrief', 'Publish a brief'],
  BriefsController_amend: ['amendBrief', 'Amend a published brief'],
  BriefsController_cancel: ['cancelBrief', 'Cancel a brief'],
  BriefsController_invite: ['inviteStudios', 'Invite studios to a brief'],
  BriefsController_ask: ['askQuestion', 'Ask a question about a brief'],
  BriefsController_listQuestions: ['listQuestions', "List a brief's questions"],
  BriefsController_answer: ['answerQuestion', 'Answer a question'],
  BidsController_create: ['submitBid', 'Create or submit a bid'],
  BidsController_list: ['listBids', "List a brief's bids"],
  BidsController_get: ['getBid', 'Get a bid'],
  BidsController_update: ['updateBid', 'Update a bid'],
  BidsController_submit: ['submitDraftBid', 'Submit a draft bid'],
  BidsController_withdraw: ['withdrawBid', 'Withdraw a bid'],
  BidsController_score: ['scoreBid', 'Score a bid'],
  BidsController_shortlist: ['shortlistBid', 'Shortlist a bid'],
  BidsController_reject: ['rejectBid', 'Reject a bid'],
  BidsController_ranking: ['getRanking', "Rank a brief's bids"],
  BidsController_bidOpening: ['getBidOpening', "Get a brief's bid opening record"],
  ContractsController_award: ['awardBrief', 'Award a brief to a bid'],
  ContractsController_list: ['listContracts', 'List contracts'],
  ContractsController_get: ['getContract', 'Get a contract'],
  ContractsController_milestones: ['listMilestones', "List a contract's milestones"],
  ContractsController_replaceMilestones: ['replaceMilestones', "Replace a draft contract's milestones"],
  ContractsController_replaceAudioLanguages: [
    'replaceContractAudioLanguages',
    "Replace a draft contract's spoken audio languages",
  ],
  ContractsController_sign: ['signContract', 'Sign a contract'],
  ContractsController_terminate: ['terminateContract', 'Terminate a contract'],
  DeliverablesController_register: ['registerDeliverable', 'Register a deliverable for upload'],
  DeliverablesController_list: ['listDeliverables', "List a milestone's deliverables"],
  QcController_rerun: ['rerunDeliverableQc', "Re-run a deliverable's technical QC"],
  QcController_waive: ['waiveDeliverableQcChecks', 'Waive failed QC checks of a deliverable'],
  QcProfileController_get: ['getBriefQcProfile', "Get a brief's technical QC profile"],
  QcProfileController_put: ['putBriefQcProfile', "Replace a brief's technical QC profile"],
  DeliverablesController_content: ['getDeliverableContent', "Download a deliverable's file"],
  DeliverablesController_submit: ['submitMilestone', 'Submit a milestone for review'],
  DeliverablesController_accept: ['acceptMilestone', 'Accept a milestone'],
  DeliverablesController_requestChanges: ['requestMilestoneChanges', 'Request changes to a milestone'],
  FinanceController_invoices: ['listInvoices', 'List invoices'],
  FinanceController_balance: ['getContractBalance', "Get a contract's balance"],
  FinanceController_create: ['createPayout', 'Create a payout'],
  FinanceController_list: ['listPayouts', 'List payouts'],
  FinanceController_approve: ['approvePayout', 'Approve a payout'],
  FinanceController_markPaid: ['markPayoutPaid', 'Mark a payout paid'],
  FinanceController_get: ['getPayout', 'Get a payout'],
  FinanceController_spend: ['getSpendReport', 'Spend report'],
  FinanceController_payables: ['getPayablesReport', 'Payables ageing report'],
  ResponsivenessController_get: ['getResponsiveness', "Get a broadcaster's responsiveness figures"],
  LocalContentController_report: ['getLocalContentReport', 'Local-content and Kazakh-language report'],
  NotificationsController_list: ['listNotifications', 'List notifications'],
  NotificationsController_read: ['markNotificationRead', 'Mark a notification read'],
  WebhooksController_create: ['createWebhook', 'Create a webhook'],
  WebhooksController_list: ['listWebhooks', 'List webhooks'],
  WebhooksController_remove: ['deleteWebhook', 'Delete a webhook'],
  WebhooksController_deliveries: ['listWebhookDeliveries', "List a webhook's deliveries"],
  WebhooksController_redeliver: ['redeliverWebhookDelivery', 'Redeliver a webhook delivery'],
  OcdsController_releases: ['listOcdsReleases', 'OCDS release package (open data)'],
  OcdsController_record: ['getOcdsRecord', 'OCDS record package of a contracting process'],
  HealthController_live: ['getLiveness', 'Liveness'],
  HealthController_ready: ['getReadiness', 'Readiness'],
};

/** Routes behind a per-address limit (AuthThrottlerGuard, or RateLimiter.enforce in the service). */
const RATE_LIMITED = new Set([
  'AuthController_login',
  'OrganisationsController_register',
  'PublicIdeasController_submit',
  'IdeaVotesController_request',
  'PublishedIdeasController_report',
]);

/** Each route's RouteDoc, from the table above and its decorators (@Allow, @ApiErrors). */
export function routeDocs(app: NestFastifyApplication): Map<string, RouteDoc> {
  const docs = new Map<string, RouteDoc>();
  for (const module of app.get(ModulesContainer).values()) {
    for (const wrapper of module.controllers.values()) {
      const type = wrapper.metatype as (new (...args: never[]) => object) | null;
      if (!type) continue;
      for (const method of Object.getOwnPropertyNames(type.prototype)) {
        const key = `${type.name}_${method}`;
        const entry = OPERATIONS[key];
        if (!entry) continue;
        const handler = (type.prototype as Record<string, object>)[method]!;
        const policy = (Reflect.getMetadata(POLICY, handler) ?? Reflect.getMetadata(POLICY, type)) as
          AccessPolicy | undefined;
        docs.set(key, {
          operationId: entry[0],
          summary: entry[1],
          isPublic: policy?.isPublic ?? false,
          rateLimited: RATE_LIMITED.has(key),
          errors: (Reflect.getMetadata(API_ERRORS, handler) as ErrorDef[] | undefined) ?? [],
        });
      }
    }
  }
  return docs;
}
