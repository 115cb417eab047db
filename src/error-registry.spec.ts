import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { ERRORS_BY_CONSTRAINT, MODULE_ERRORS } from './error-registry';
import { BidErrors } from './modules/bids/bids.errors';
import { ContractErrors } from './modules/contracts/contracts.errors';
import { constraintMap, defineErrors } from './shared/errors/domain-error';

const MIGRATIONS = join(__dirname, '..', 'migrations');

/**
 * Constraints no request can violate, each with the reason. A constraint a request CAN violate
 * gets a code in its module's *.errors.ts instead (`{ constraints: [...] }`); otherwise its
 * violation is answered as a 500.
 */
const UNREACHABLE: Record<string, string> = {
  // Unique indexes
  refresh_tokens_hash_key: 'the hash of a fresh 256-bit random token (auth.service.ts)',
  notifications_event_user_key: 'inserted with ON CONFLICT (event_id, user_id) DO NOTHING',
  outgoing_mail_event_user_key: 'inserted with ON CONFLICT (event_id, user_id) DO NOTHING',
  bid_versions_bid_version_key:
    'copies the version of the bid row the service has locked (FOR UPDATE) and bumped in the same transaction',
  milestones_contract_sequence_key:
    "sequences are the ordinality of one insert, into a new contract or after deleting the locked draft contract's milestones",
  invoices_milestone_key: 'inserted with ON CONFLICT (milestone_id) DO NOTHING',
  ledger_accounts_key: 'inserted with ON CONFLICT (key) DO NOTHING',
  ledger_transactions_reference_key: 'inserted with ON CONFLICT (kind, reference) DO NOTHING',
  webhook_deliveries_endpoint_event_key: 'inserted with ON CONFLICT (endpoint_id, event_id) DO NOTHING',
  audit_events_leaf_index_key:
    'assigned only by the audit sequencer, one at a time under its advisory lock, as the next consecutive indexes after the leaves it loaded',
  ocds_releases_seq_key:
    'assigned only by the OCDS sequencer, one at a time under its advisory lock, as max(seq) + row_number()',
  brief_qc_profiles_brief_version_key: 'inserted with ON CONFLICT (brief_id, version) DO NOTHING',
  deliverable_qc_reports_deliverable_key: 'inserted with ON CONFLICT (deliverable_id) DO NOTHING',
  idea_submitters_manage_token_key: 'the hash of a fresh 256-bit random token (idea-mail.service.ts)',
  idea_vote_requests_token_key: 'the hash of a fresh 256-bit random token (idea-mail.service.ts)',
  // CHECK constraints
  ideas_sha256_check: 'written only from a SHA-256 hex digest computed by the service (receipt.ts)',
  ideas_votes_check: 'votes only grow, by one per inserted idea_votes row',
  idea_reports_reason_check: 'CHECK mirrored by DTO validation (@IsIn of the report reasons)',
  signing_keys_use_check: 'uses are written by code only (SigningService)',
  brief_qc_profiles_source_check: 'sources are written by code only (QcProfilesService)',
  users_language_check: 'CHECK mirrored by DTO validation (@IsIn kk, ru, en)',
  users_role_check: 'CHECK mirrored by DTO validation (@IsIn of the org roles); operator is set by code only',
  organisations_vat_rate_check: 'CHECK mirrored by DTO validation (@Min(0) @Max(100))',
  organisations_country_check: 'CHECK mirrored by DTO validation (@Matches /^[A-Z]{2}$/)',
  organisations_kind_check:
    'CHECK mirrored by DTO validation (@IsIn broadcaster, studio); platform is seeded by code',
  briefs_published_complete_check:
    'CHECK mirrored by the publish and amendment rules (BRIEF_INCOMPLETE, DEADLINE_ORDER in brief-rules.ts)',
  briefs_budget_check: 'CHECK mirrored by the BUDGET_RANGE rule (brief-rules.ts)',
  briefs_visibility_check: 'CHECK mirrored by DTO validation (@IsIn open, invited)',
  bids_receipt_check: 'the one UPDATE that submits a bid sets its commitment and submitted_at too',
  bids_price_check: 'CHECK mirrored by DTO validation (MoneyDto @Min(0))',
  bid_scores_score_check: 'CHECK mirrored by DTO validation (@Min(0) @Max(10))',
  contracts_value_check: "copied from the awarded bid's price (bids_price_check)",
  contracts_audio_languages_check:
    "CHECK mirrored by DTO validation (@IsArray of audioLanguages), or copied from the brief's",
  milestones_amount_check:
    'CHECK mirrored by DTO validation (MoneyDto @Min(0)), or shares of a non-negative price',
  contract_signatures_party_check: "the party is derived by the service from the signer's organisation kind",
  deliverables_size_check: 'CHECK mirrored by DTO validation (@Min(1))',
  deliverables_kind_check: 'CHECK mirrored by DTO validation (@IsIn DELIVERABLE_KINDS)',
  invoices_amounts_check:
    'computed by the service from a non-negative milestone amount and a VAT rate of 0–100',
  ledger_accounts_kind_check: 'account kinds are constants of ledger code, never taken from a request',
  ledger_transactions_kind_check:
    'transaction kinds are constants of ledger code, never taken from a request',
  ledger_entries_amount_check:
    'mirrored by assertBalanced (no zero entry) in ledger.service.ts, before the insert',
  ledger_entries_balanced: 'trigger mirrored by assertBalanced in ledger.service.ts, before the insert',
};

/** Whole families with one reason. */
const UNREACHABLE_PATTERNS: [RegExp, string][] = [
  [
    /_pkey$/,
    'primary keys are generated ids; composite keys are written with ON CONFLICT or after a lock and a read (bid_scores, brief_invitations, bid_openings, idempotency_keys) or from a unique id list (payout_invoices, @ArrayUnique)',
  ],
  [
    /_fk$/,
    'foreign keys to rows the service has just read or locked (or the caller itself); no route deletes a referenced row',
  ],
  [/_status_check$/, 'statuses are written from the lifecycle types in code, never from a request'],
];

/** Every constraint (and unique index, and trigger-raised constraint) the migrations create. */
function migrationConstraints(): string[] {
  const names = new Set<string>();
  for (const file of readdirSync(MIGRATIONS).filter((f) => f.endsWith('.ts'))) {
    const sql = readFileSync(join(MIGRATIONS, file), 'utf8');
    const patterns = [
      /(?<!DROP )CONSTRAINT "(\w+)"/g, // CONSTRAINT "x" PRIMARY KEY / CHECK / FOREIGN KEY
      /CREATE UNIQUE INDEX "(\w+)"/g,
      /CONSTRAINT = '(\w+)'/g, // RAISE … USING CONSTRAINT = 'x' in a hand-written trigger
    ];
    for (const pattern of patterns) for (const m of sql.matchAll(pattern)) names.add(m[1]!);
  }
  return [...names].sort();
}

describe('error registry', () => {
  const constraints = migrationConstraints();

  it('finds the constraints of the migrations', () => {
    expect(constraints).toEqual(
      expect.arrayContaining([
        'users_email_key',
        'payouts_approver_check',
        'milestones_sum_to_value',
        'users_pkey',
      ]),
    );
  });

  it('maps every constraint of the migrations to a code, or says why no request reaches it', () => {
    const unaccounted = constraints.filter(
      (c) =>
        !ERRORS_BY_CONSTRAINT.has(c) && !(c in UNREACHABLE) && !UNREACHABLE_PATTERNS.some(([p]) => p.test(c)),
    );
    expect(unaccounted).toEqual([]);
  });

  it('lists no constraint both as mapped and as unreachable', () => {
    const both = [...ERRORS_BY_CONSTRAINT.keys()].filter(
      (c) => c in UNREACHABLE || UNREACHABLE_PATTERNS.some(([p]) => p.test(c)),
    );
    expect(both).toEqual([]);
  });

  it('declares only constraints that exist (no typos, no stale entries)', () => {
    expect([...ERRORS_BY_CONSTRAINT.keys()].filter((c) => !constraints.includes(c))).toEqual([]);
    expect(Object.keys(UNREACHABLE).filter((c) => !constraints.includes(c))).toEqual([]);
  });

  it('maps the constraints each module declares', () => {
    expect(
      Object.fromEntries([...ERRORS_BY_CONSTRAINT].map(([c, def]) => [c, `${def.status} ${def.code}`])),
    ).toEqual({
      users_email_key: '409 EMAIL_TAKEN',
      organisations_bin_key: '409 ORGANISATION_EXISTS',
      bids_brief_studio_key: '409 BID_EXISTS',
      briefs_audio_languages_check: '422 AUDIO_MINUTES',
      bids_one_awarded_per_brief: '409 ALREADY_AWARDED',
      briefs_origin_idea_key: '409 IDEA_CONVERTED',
      contracts_brief_key: '409 ALREADY_AWARDED',
      contracts_bid_key: '409 ALREADY_AWARDED',
      contract_signatures_one_live_per_party: '409 ALREADY_SIGNED',
      milestones_sum_to_value: '422 MILESTONE_SUM',
      deliverables_milestone_kind_version_key: '409 DELIVERABLE_VERSION_TAKEN',
      deliverable_qc_waivers_item_key: '409 QC_ALREADY_WAIVED',
      ideas_converted_brief_key: '409 IDEA_CONVERTED',
      payout_invoices_invoice_key: '409 INVOICE_IN_PAYOUT',
      payouts_approver_check: '403 SECOND_APPROVER_REQUIRED',
    });
  });

  it('gives one code one answer in every module that declares it', () => {
    const byCode = new Map<string, { status: number; title: string }>();
    for (const group of Object.values(MODULE_ERRORS)) {
      for (const def of Object.values(group)) {
        const seen = byCode.get(def.code);
        if (seen)
          expect({ code: def.code, status: def.status, title: def.title }).toEqual({
            code: def.code,
            ...seen,
          });
        else byCode.set(def.code, { status: def.status, title: def.title });
      }
    }
    expect({ ...ContractErrors.ALREADY_AWARDED, constraints: undefined }).toEqual({
      ...BidErrors.ALREADY_AWARDED,
      constraints: undefined,
    });
  });

  it('refuses a constraint declared twice', () => {
    const A = defineErrors({ A_TAKEN: [409, 'A', { constraints: ['x_key'] }] });
    const B = defineErrors({ B_TAKEN: [409, 'B', { constraints: ['x_key'] }] });
    expect(() => constraintMap([A, B])).toThrow(
      'Constraint x_key is declared twice (by A_TAKEN and B_TAKEN)',
    );
  });
});
