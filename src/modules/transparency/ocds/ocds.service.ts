import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { InjectConfig } from '../../../config/config.module';
import type { AppConfig } from '../../../config/env';
import { CommonErrors, notFound } from '../../../shared/errors/common.errors';
import { DomainError } from '../../../shared/errors/domain-error';
import type { OutboxRow } from '../../../shared/outbox/events';
import { OutboxService } from '../../../shared/outbox/outbox.service';
import { compileReleases, type JsonObject } from './merge';
import { buildRelease, RELEASE_TAGS, type ReleaseInput, type ReleaseKind } from './ocds-release.builder';
import { OcdsReadModel, type PaidInvoiceFacts } from './ocds.read-model';
import { OcdsRepository, type PublishedRelease } from './ocds.repository';

/** The outbox events that record a release, and the kind of release each records. */
export const RELEASE_EVENTS = {
  'brief.published': 'tender',
  'brief.amended': 'tenderAmendment',
  'bids.opened': 'tenderUpdate',
  'brief.cancelled': 'tenderCancellation',
  'bid.awarded': 'award',
  'contract.active': 'contractUpdate',
  'milestone.accepted': 'milestoneMet',
  'payout.paid': 'payment',
  'contract.completed': 'contractTermination',
  'contract.terminated': 'contractTermination',
} as const satisfies Record<string, ReleaseKind>;
export type ReleaseEvent = keyof typeof RELEASE_EVENTS;

const SEQ = /^\d{1,19}$/;

/** Where the routes live (bootstrap.ts API_PREFIX and ocds.controller.ts). */
const PATH = '/api/v1/open-data/ocds';

export interface ReleasesQuery {
  since?: string;
  cursor?: string;
  limit: number;
}

/**
 * OCDS 1.1 open data of public-body broadcasters: releases recorded from the outbox events of
 * the changes (in the event's own transaction, so a change that rolled back has none and none is
 * lost), published in sequence once committed, and served as release and record packages.
 */
@Injectable()
export class OcdsService {
  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly repo: OcdsRepository,
    private readonly reads: OcdsReadModel,
    private readonly outbox: OutboxService,
    @InjectConfig() private readonly config: AppConfig,
  ) {}

  ocid(briefId: string): string {
    return `${this.config.ocds.ocidPrefix}-${briefId}`;
  }

  /**
   * Records the release(s) of one event, in its consumer transaction: nothing for a brief whose
   * broadcaster is not a public body when the event is handled, or that was never published.
   */
  async record(em: EntityManager, event: OutboxRow<ReleaseEvent>): Promise<void> {
    const kind = RELEASE_EVENTS[event.type];
    const data = event.payload as { data?: Record<string, unknown>; contractId?: string };
    const id = `${event.type}-${event.id}`;
    let recorded = false;
    if (event.type === 'payout.paid') {
      const byBrief = new Map<string, PaidInvoiceFacts[]>();
      for (const i of await this.reads.paidInvoices(em, String(data.data!.payoutId))) {
        byBrief.set(i.briefId, [...(byBrief.get(i.briefId) ?? []), i]);
      }
      for (const [briefId, invoices] of byBrief) {
        recorded = (await this.recordOne(em, event.id, briefId, { id, kind, invoices })) || recorded;
      }
    } else {
      const contractId = data.contractId ?? (data.data?.contractId as string | undefined);
      const briefId =
        kind === 'contractUpdate' || kind === 'milestoneMet' || kind === 'contractTermination'
          ? await this.reads.briefOfContract(em, contractId!)
          : (data.data!.briefId as string);
      const milestoneId = data.data?.milestoneId as string | undefined;
      if (briefId) recorded = await this.recordOne(em, event.id, briefId, { id, kind, milestoneId });
    }
    // Published (sequenced) by a later transaction, once this one has committed.
    if (recorded) await this.outbox.emit(em, 'ocds.sequence', {});
  }

  private async recordOne(
    em: EntityManager,
    eventId: string,
    briefId: string,
    r: Omit<ReleaseInput, 'ocid' | 'facts'>,
  ): Promise<boolean> {
    const facts = await this.reads.process(em, briefId, eventId);
    if (!facts?.broadcaster.publicBody || !facts.brief.publishedAt) return false;
    // brief.published is also the notice to studios invited later: only the publication counts.
    if (r.kind === 'tender' && !facts.publishedByEvent) return false;
    if (r.kind === 'tenderUpdate' && !facts.tenderers) return false;
    if (
      !['tender', 'tenderAmendment', 'tenderUpdate', 'tenderCancellation'].includes(r.kind) &&
      !facts.contract
    ) {
      return false;
    }
    if (r.kind === 'milestoneMet' && !facts.contract!.milestones.some((m) => m.id === r.milestoneId))
      return false;
    const ocid = this.ocid(briefId);
    const release = buildRelease({ ...r, ocid, facts });
    return this.repo.insert(em, {
      ocid,
      id: r.id,
      eventId,
      briefId,
      tag: RELEASE_TAGS[r.kind],
      date: release.date as string,
      text: JSON.stringify(release),
    });
  }

  /** Gives the committed releases their publication sequence (see OcdsRepository.sequence). */
  async sequence(em: EntityManager): Promise<void> {
    await this.repo.sequence(em);
  }

  /** A release package: one page of published releases in publication order, as JSON text. */
  async releasePackage(q: ReleasesQuery): Promise<string> {
    if (q.cursor !== undefined && !SEQ.test(q.cursor)) throw new DomainError(CommonErrors.INVALID_CURSOR);
    const em = this.ds.manager;
    const page = await this.repo.page(em, q.cursor ?? null, q.since ?? null, q.limit);
    const published = page.length ? latest(page) : ((await this.repo.lastRecorded(em)) ?? new Date(0));
    const query = (cursor?: string): string =>
      new URLSearchParams({
        ...(q.since !== undefined ? { since: q.since } : {}),
        ...(cursor !== undefined ? { cursor } : {}),
        limit: String(q.limit),
      }).toString();
    const head = this.packageHead(`${this.base()}/releases?${query(q.cursor)}`, published);
    // Every page with releases links to the position after them, so a reader at the end keeps
    // polling that link for releases published later; an empty page has none (poll it again).
    const next = page.length
      ? `,"links":${JSON.stringify({ next: `${this.base()}/releases?${query(page.at(-1)!.seq)}` })}`
      : '';
    return `{${head},"releases":[${page.map((r) => r.text).join(',')}]${next}}`;
  }

  /** The record package of one process: every published release and the compiled release. */
  async recordPackage(ocid: string): Promise<string> {
    const rows = await this.repo.ofProcess(this.ds.manager, ocid);
    if (!rows.length) throw notFound('Contracting process not found');
    const releases = rows.map((r) => JSON.parse(r.text) as JsonObject);
    const compiled = compileReleases(releases, `${ocid}-compiled`);
    const head = this.packageHead(`${this.base()}/records/${encodeURIComponent(ocid)}`, latest(rows));
    const record = `{"ocid":${JSON.stringify(ocid)},"releases":[${rows.map((r) => r.text).join(',')}],"compiledRelease":${JSON.stringify(compiled)}}`;
    return `{${head},"records":[${record}]}`;
  }

  private base(): string {
    return `${this.config.publicWebUrl.replace(/\/+$/, '')}${PATH}`;
  }

  /** uri, version, publishedDate, publisher, license, publicationPolicy: the package metadata. */
  private packageHead(uri: string, publishedDate: Date): string {
    const { publisherName, publisherBin, licenseUrl, policyUrl } = this.config.ocds;
    const head = {
      uri,
      version: '1.1',
      publishedDate: publishedDate.toISOString(),
      publisher: publisherBin
        ? { name: publisherName, scheme: 'KZ-BIN', uid: publisherBin }
        : { name: publisherName },
      license: licenseUrl,
      ...(policyUrl ? { publicationPolicy: policyUrl } : {}),
    };
    return JSON.stringify(head).slice(1, -1);
  }
}

/**
 * When the newest of these releases was recorded: a package made on demand is dated by the last
 * change of its contents (so the same page has the same bytes every time it is fetched).
 */
const latest = (rows: PublishedRelease[]): Date =>
  rows.reduce((d, r) => (r.recordedAt > d ? r.recordedAt : d), rows[0]!.recordedAt);
