/**
 * Which module owns which table: only the owner's code names it in SQL. Other modules call the
 * owner's exported methods (which take the caller's EntityManager, so a use case stays one
 * transaction) or SQL fragments the owner exports. `shared/outbox` owns the outbox, `shared/rate-limit` the shared rate limits. The spec
 * beside this file checks it against the migrations and against every module's SQL.
 */
export const TABLE_OWNERS = {
  identity: ['users', 'auth_sessions', 'refresh_tokens'],
  organisations: ['organisations'],
  briefs: ['briefs', 'brief_amendments', 'brief_invitations', 'questions', 'brief_qc_profiles'],
  bids: ['bids', 'bid_versions', 'bid_scores', 'bid_openings'],
  contracts: ['contracts', 'contract_signatures', 'milestones'],
  deliverables: ['deliverables', 'deliverable_qc_reports', 'deliverable_qc_waivers'],
  finance: [
    'invoices',
    'payouts',
    'payout_invoices',
    'ledger_accounts',
    'ledger_entries',
    'ledger_transactions',
    'idempotency_keys',
  ],
  notifications: [
    'notifications',
    'outgoing_mail',
    'webhook_endpoints',
    'webhook_deliveries',
    'webhook_attempts',
  ],
  ideas: [
    'idea_calls',
    'ideas',
    'idea_submitters',
    'idea_form_tokens_used',
    'idea_vote_requests',
    'idea_votes',
    'idea_reports',
    'idea_similarities',
  ],
  audit: ['audit_events', 'audit_tree_heads', 'signing_keys'],
  transparency: ['ocds_releases'],
  'shared/outbox': ['outbox'],
  'shared/rate-limit': ['rate_limits'],
} as const;

export type TableOwner = keyof typeof TABLE_OWNERS;
