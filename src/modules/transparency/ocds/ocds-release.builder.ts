import type { JsonObject } from './merge';
import type {
  ContractFacts,
  MilestoneFacts,
  OrgFacts,
  PaidInvoiceFacts,
  ProcessFacts,
} from './ocds.read-model';

// OCDS 1.1 releases built from a process's facts (ocds.read-model.ts). Pure: the same facts
// give the same release, key for key. Each release carries the sections its change touched:
// the tender while it runs, the award and contract at the award, the contract afterwards. Every
// release lists the parties known at its stage with all their roles (a party's `roles` is an
// array of strings, replaced whole by a later release when merged). Organisations only: no
// person's name, e-mail or contact point anywhere.

/** What a release records, one per kind of change (the outbox event it comes from). */
export type ReleaseKind =
  | 'tender'
  | 'tenderAmendment'
  | 'tenderUpdate'
  | 'tenderCancellation'
  | 'award'
  | 'contractUpdate'
  | 'milestoneMet'
  | 'payment'
  | 'contractTermination';

/** Release tags (OCDS releaseTag codelist). The award and its pending contract are one release. */
export const RELEASE_TAGS: Record<ReleaseKind, string[]> = {
  tender: ['tender'],
  tenderAmendment: ['tenderAmendment'],
  tenderUpdate: ['tenderUpdate'],
  tenderCancellation: ['tenderCancellation'],
  award: ['award', 'contract'],
  contractUpdate: ['contractUpdate'],
  milestoneMet: ['implementation'],
  payment: ['implementation'],
  contractTermination: ['contractTermination'],
};

const TENDER_KINDS: ReadonlySet<ReleaseKind> = new Set([
  'tender',
  'tenderAmendment',
  'tenderUpdate',
  'tenderCancellation',
]);

export interface ReleaseInput {
  ocid: string;
  id: string;
  kind: ReleaseKind;
  facts: ProcessFacts;
  /** milestoneMet: the accepted milestone. */
  milestoneId?: string;
  /** payment: the invoices of this process the payout paid. */
  invoices?: PaidInvoiceFacts[];
}

/** The digits after the decimal point of a currency (ISO 4217; KZT has 2). */
function minorDigits(currency: string): number {
  try {
    return (
      new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ??
      2
    );
  } catch {
    return 2;
  }
}

/**
 * Integer minor units as a number of major units, by integer arithmetic: the decimal text is
 * built from the quotient and remainder, then read once (150000000 tiyn → 1500000).
 */
export function majorUnits(minor: string | number | bigint, currency: string): number {
  const v = BigInt(minor);
  const digits = minorDigits(currency);
  const unit = 10n ** BigInt(digits);
  const sign = v < 0n ? '-' : '';
  const abs = v < 0n ? -v : v;
  const fraction = (abs % unit).toString().padStart(digits, '0').replace(/0+$/, '');
  return Number(`${sign}${abs / unit}${fraction ? `.${fraction}` : ''}`);
}

const value = (minor: string, currency: string): JsonObject => ({
  amount: majorUnits(minor, currency.trim()),
  currency: currency.trim(),
});

const iso = (d: Date): string => d.toISOString();

const isEmpty = (v: unknown): boolean =>
  v === undefined ||
  v === null ||
  v === '' ||
  (Array.isArray(v) && !v.length) ||
  (typeof v === 'object' && !Array.isArray(v) && !Object.keys(v).length);

/** The object without its unknown or empty fields (OCDS data review: no "", {}, [] or null). */
function compact(o: Record<string, unknown>): JsonObject {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => !isEmpty(v))) as JsonObject;
}

const ref = (o: OrgFacts): JsonObject => ({ id: o.id, name: o.name });

function party(o: OrgFacts, roles: string[]): JsonObject {
  return compact({
    id: o.id,
    name: o.name,
    identifier: o.country === 'KZ' && o.bin ? { scheme: 'KZ-BIN', id: o.bin, legalName: o.name } : undefined,
    roles,
  });
}

/** The parties known at this release's stage, each with every role it holds by then. */
function parties(kind: ReleaseKind, f: ProcessFacts): JsonObject[] {
  const awarded = !TENDER_KINDS.has(kind) && f.contract !== null;
  const tenderers = tenderersOf(kind, f) ?? [];
  const winner = awarded ? f.contract!.studio : null;
  const list = [
    party(f.broadcaster, awarded ? ['buyer', 'procuringEntity', 'payer'] : ['buyer', 'procuringEntity']),
  ];
  for (const t of tenderers) {
    list.push(party(t, t.id === winner?.id ? ['tenderer', 'supplier', 'payee'] : ['tenderer']));
  }
  if (winner && !tenderers.some((t) => t.id === winner.id)) list.push(party(winner, ['supplier', 'payee']));
  return list;
}

/** The tenderers a release may name: none before the close (nor in a tender or amendment release). */
function tenderersOf(kind: ReleaseKind, f: ProcessFacts): OrgFacts[] | null {
  if (kind === 'tender' || kind === 'tenderAmendment') return null;
  return f.tenderers;
}

function tenderStatus(kind: ReleaseKind): string {
  if (kind === 'tenderCancellation') return 'cancelled';
  if (kind === 'award') return 'complete';
  return 'active';
}

function itemDescription(b: ProcessFacts['brief']): string {
  const what = [...new Set([b.format, b.genre].filter(Boolean))].join(', ');
  const length = b.episodeMinutes ? `${b.episodeMinutes} minutes an episode` : '';
  return [what, length].filter(Boolean).join('; ') || b.title;
}

function tender(kind: ReleaseKind, f: ProcessFacts): JsonObject {
  const b = f.brief;
  const currency = b.currency.trim();
  const tenderers = tenderersOf(kind, f);
  const criteria = b.criteria.map((c) => `${c.name} ${c.weight}%`).join(', ');
  return compact({
    id: b.id,
    title: b.title,
    description: b.synopsis?.trim(),
    status: tenderStatus(kind),
    procuringEntity: ref(f.broadcaster),
    items: b.episodes
      ? [{ id: '1', description: itemDescription(b), quantity: b.episodes, unit: { name: 'episode' } }]
      : undefined,
    value: b.budgetMax !== null ? value(b.budgetMax, currency) : undefined,
    minValue: b.budgetMin !== null ? value(b.budgetMin, currency) : undefined,
    procurementMethod: b.visibility === 'invited' ? 'limited' : 'open',
    procurementMethodDetails: b.visibility === 'invited' ? 'Invited studios only' : 'Open call to studios',
    mainProcurementCategory: 'services',
    awardCriteria: 'ratedCriteria',
    awardCriteriaDetails: criteria ? `Weighted criteria: ${criteria}` : undefined,
    submissionMethod: ['electronicSubmission'],
    submissionMethodDetails: 'Sealed bids on Efir, opened at the end of the tender period',
    tenderPeriod: compact({
      startDate: b.publishedAt && iso(b.publishedAt),
      endDate: b.bidsCloseAt && iso(b.bidsCloseAt),
    }),
    enquiryPeriod: compact({
      startDate: b.publishedAt && iso(b.publishedAt),
      endDate: b.questionsCloseAt && iso(b.questionsCloseAt),
    }),
    contractPeriod: b.deliveryDueAt ? { endDate: iso(b.deliveryDueAt) } : undefined,
    numberOfTenderers: tenderers ? tenderers.length : undefined,
    tenderers: tenderers?.map(ref),
    amendments: f.amendments.map((a) => ({
      id: a.id,
      date: iso(a.date),
      rationale: a.reason,
      description: `Changed: ${a.fields.join(', ')}`,
    })),
  });
}

function award(c: ContractFacts, f: ProcessFacts, status: 'active' | 'cancelled'): JsonObject {
  return {
    id: c.bidId,
    title: f.brief.title,
    status,
    date: iso(c.createdAt),
    value: value(c.value, c.currency),
    suppliers: [ref(c.studio)],
  };
}

const lastDue = (ms: MilestoneFacts[]): Date | undefined =>
  ms.reduce<Date | undefined>((d, m) => (!d || m.dueAt > d ? m.dueAt : d), undefined);

function milestone(m: MilestoneFacts, met: boolean): JsonObject {
  return compact({
    id: m.id,
    title: m.title,
    type: 'delivery',
    dueDate: iso(m.dueAt),
    status: met ? 'met' : 'scheduled',
    dateMet: met && m.reviewedAt ? iso(m.reviewedAt) : undefined,
  });
}

function contract(kind: ReleaseKind, input: ReleaseInput): JsonObject {
  const c = input.facts.contract!;
  const head = { id: c.id, awardID: c.bidId };
  switch (kind) {
    case 'award':
      return {
        ...head,
        title: input.facts.brief.title,
        status: 'pending',
        value: value(c.value, c.currency),
      };
    case 'contractUpdate': {
      const end = lastDue(c.milestones);
      return compact({
        ...head,
        status: 'active',
        period: compact({ startDate: c.activatedAt && iso(c.activatedAt), endDate: end && iso(end) }),
        value: value(c.value, c.currency),
        dateSigned: c.activatedAt && iso(c.activatedAt),
        implementation: { milestones: c.milestones.map((m) => milestone(m, false)) },
      });
    }
    case 'milestoneMet': {
      const m = c.milestones.find((x) => x.id === input.milestoneId)!;
      return { ...head, implementation: { milestones: [milestone(m, true)] } };
    }
    case 'payment':
      return {
        ...head,
        implementation: {
          transactions: (input.invoices ?? []).map((i) => ({
            id: i.id,
            date: iso(i.paidAt),
            value: value(i.amount, i.currency),
            payer: ref(input.facts.broadcaster),
            payee: ref(c.studio),
          })),
        },
      };
    case 'contractTermination':
      // A signed contract ends (completed or terminated); an unsigned one is cancelled.
      return { ...head, status: c.activatedAt ? 'terminated' : 'cancelled' };
    case 'tender':
    case 'tenderAmendment':
    case 'tenderUpdate':
    case 'tenderCancellation':
      throw new Error(`a ${kind} release has no contract section`);
  }
}

/** The release, key for key as it will be published. */
export function buildRelease(input: ReleaseInput): JsonObject {
  const { kind, facts: f } = input;
  const c = TENDER_KINDS.has(kind) ? null : f.contract;
  if (!TENDER_KINDS.has(kind) && !c) throw new Error(`a ${kind} release needs the contract`);
  let awards: JsonObject[] | undefined;
  if (kind === 'award') awards = [award(c!, f, 'active')];
  else if (kind === 'contractTermination' && !c!.activatedAt)
    awards = [{ id: c!.bidId, status: 'cancelled' }];
  return compact({
    ocid: input.ocid,
    id: input.id,
    date: iso(f.at),
    tag: RELEASE_TAGS[kind],
    initiationType: 'tender',
    parties: parties(kind, f),
    buyer: ref(f.broadcaster),
    tender: TENDER_KINDS.has(kind) || kind === 'award' ? tender(kind, f) : undefined,
    awards,
    contracts: c ? [contract(kind, input)] : undefined,
  });
}
