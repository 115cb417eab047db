import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { createHash } from 'node:crypto';
import { DataSource, type EntityManager } from 'typeorm';
import type { AuthUser } from '../../shared/auth/auth-user';
import type { Role } from '../../shared/auth/roles';
import { notFound } from '../../shared/errors/common.errors';
import { cursorTsSql, decodeCursor, toPage, type Page, type PageQuery } from '../../shared/http/pagination';
import { money, splitByShares } from '../../shared/money';
import { canonicalJson } from '../bids/canonical';
import type { BidContent } from '../bids/bid.mapper';
import { OutboxService } from '../../shared/outbox/outbox.service';
import type { ContractDto, ContractSummaryDto, MilestoneDto } from './dto/contract.dto';

export interface ContractRow {
  id: string;
  brief_id: string;
  bid_id: string;
  broadcaster_id: string;
  broadcaster_name: string;
  studio_id: string;
  studio_name: string;
  status: string;
  value_amount: string;
  currency: string;
  rights: unknown;
  delivery_spec: unknown;
  created_at: Date;
  cursor_ts: string;
}

export interface SignatureRow {
  party: 'broadcaster' | 'studio';
  user_id: string;
  signed_at: Date;
  terms_hash: string;
}

/** A contract with its current milestones and the hash of its terms. */
export interface ContractTerms {
  row: ContractRow;
  milestones: MilestoneDto[];
  termsHash: string;
}

export interface MilestoneRow {
  id: string;
  contract_id: string;
  sequence: number;
  title: string;
  amount: string;
  due_at: Date;
  status: string;
}

export const MILESTONE_COLUMNS = 'id, contract_id, sequence, title, amount, due_at, status';

/** Who signs for each party. */
export const SIGNERS = {
  broadcaster: ['commissioner', 'admin'],
  studio: ['admin', 'producer'],
} as const satisfies Record<string, readonly Role[]>;

const COLUMNS = `c.id, c.brief_id, c.bid_id, c.broadcaster_id, bo.name AS broadcaster_name, c.studio_id,
  so.name AS studio_name, c.status, c.value_amount, c.currency, c.rights, c.delivery_spec, c.created_at,
  ${cursorTsSql('c.created_at')} AS cursor_ts`;
const FROM = `contracts c JOIN organisations bo ON bo.id = c.broadcaster_id JOIN organisations so ON so.id = c.studio_id`;
// The parties see a contract (any member), and the operator.
const VISIBLE = `(c.broadcaster_id = $1::uuid OR c.studio_id = $1::uuid OR $2::text = 'operator')`;

export const toMilestoneDto = (m: MilestoneRow, currency: string): MilestoneDto => ({
  id: m.id,
  contractId: m.contract_id,
  sequence: m.sequence,
  title: m.title,
  amount: money(m.amount, currency),
  dueAt: m.due_at.toISOString(),
  status: m.status,
});

const toSummary = (r: ContractRow): ContractSummaryDto => ({
  id: r.id,
  briefId: r.brief_id,
  bidId: r.bid_id,
  broadcaster: { id: r.broadcaster_id, name: r.broadcaster_name },
  studio: { id: r.studio_id, name: r.studio_name },
  status: r.status,
  value: money(r.value_amount, r.currency),
  createdAt: r.created_at.toISOString(),
});

/** SHA-256 of the canonical terms: what both parties sign. */
export function termsHash(r: ContractRow, milestones: MilestoneDto[]): string {
  const terms = {
    broadcasterId: r.broadcaster_id,
    studioId: r.studio_id,
    value: money(r.value_amount, r.currency),
    rights: r.rights,
    deliverySpec: r.delivery_spec,
    milestones: milestones.map((m) => ({
      sequence: m.sequence,
      title: m.title,
      amount: m.amount,
      dueAt: m.dueAt,
    })),
  };
  return createHash('sha256').update(canonicalJson(terms), 'utf8').digest('hex');
}

@Injectable()
export class ContractsService {
  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly outbox: OutboxService,
  ) {}

  /**
   * The contract draft of an award: parties, value, rights and delivery spec from the brief,
   * milestones from the bid's schedule, in whole minor units summing exactly to the value.
   */
  async createFromAward(
    em: EntityManager,
    award: { briefId: string; bidId: string; broadcasterId: string; studioId: string },
  ): Promise<string> {
    const [src] = await em.query<
      {
        price_amount: string;
        currency: string;
        content: BidContent;
        rights: unknown;
        delivery_spec: unknown;
      }[]
    >(
      `SELECT x.price_amount, x.currency, x.content, b.rights, b.delivery_spec
         FROM bids x JOIN briefs b ON b.id = x.brief_id WHERE x.id = $1`,
      [award.bidId],
    );
    const [contract] = await em.query<{ id: string }[]>(
      `INSERT INTO contracts (brief_id, bid_id, broadcaster_id, studio_id, value_amount, currency, rights, delivery_spec)
       VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb, $8::jsonb) RETURNING id`,
      [
        award.briefId,
        award.bidId,
        award.broadcasterId,
        award.studioId,
        src!.price_amount,
        src!.currency,
        JSON.stringify(src!.rights ?? {}),
        JSON.stringify(src!.delivery_spec ?? {}),
      ],
    );
    const schedule = src!.content.milestones;
    const amounts = splitByShares(
      BigInt(src!.price_amount),
      schedule.map((m) => m.share),
    );
    await em.query(
      `INSERT INTO milestones (contract_id, sequence, title, amount, due_at)
       SELECT $1, ord, t, a, d FROM unnest($2::text[], $3::bigint[], $4::timestamptz[]) WITH ORDINALITY AS m(t, a, d, ord)`,
      [contract!.id, schedule.map((m) => m.title), amounts.map(String), schedule.map((m) => m.dueAt)],
    );
    await this.announceTerms(em, contract!.id, award.broadcasterId, award.studioId);
    return contract!.id;
  }

  /** Tells the signers of both parties that (new) terms wait for their signature. */
  async announceTerms(
    em: EntityManager,
    contractId: string,
    broadcasterId: string,
    studioId: string,
  ): Promise<void> {
    await this.outbox.emit(em, 'contract.ready_to_sign', {
      recipients: {
        organisationIds: [broadcasterId, studioId],
        roles: [...SIGNERS.broadcaster, ...SIGNERS.studio],
      },
      data: { contractId },
    });
  }

  async list(user: AuthUser, q: PageQuery): Promise<Page<ContractSummaryDto>> {
    const after = decodeCursor(q.cursor);
    const rows = await this.ds.query<ContractRow[]>(
      `SELECT ${COLUMNS} FROM ${FROM} WHERE ${VISIBLE}
          AND ($3::timestamptz IS NULL OR (c.created_at, c.id) < ($3::timestamptz, $4::uuid))
        ORDER BY c.created_at DESC, c.id DESC LIMIT $5`,
      [user.organisationId, user.role, after?.ts ?? null, after?.id ?? null, q.limit + 1],
    );
    return toPage(rows, q.limit, toSummary);
  }

  async get(user: AuthUser, id: string): Promise<ContractDto> {
    return this.toDto(this.ds.manager, await this.visible(this.ds.manager, user, id));
  }

  async milestones(user: AuthUser, id: string): Promise<MilestoneDto[]> {
    return (await this.visible(this.ds.manager, user, id)).milestones;
  }

  /** A contract of the caller's organisation (or any, for the operator); 404 otherwise. */
  async visible(em: EntityManager, user: AuthUser, id: string, lock = false): Promise<ContractTerms> {
    const [row] = await em.query<ContractRow[]>(
      `SELECT ${COLUMNS} FROM ${FROM} WHERE c.id = $3 AND ${VISIBLE} ${lock ? 'FOR UPDATE OF c' : ''}`,
      [user.organisationId, user.role, id],
    );
    if (!row) throw notFound('Contract not found');
    return this.terms(em, row);
  }

  async terms(em: EntityManager, row: ContractRow): Promise<ContractTerms> {
    const milestones = (
      await em.query<MilestoneRow[]>(
        `SELECT ${MILESTONE_COLUMNS} FROM milestones WHERE contract_id = $1 ORDER BY sequence`,
        [row.id],
      )
    ).map((m) => toMilestoneDto(m, row.currency));
    return { row, milestones, termsHash: termsHash(row, milestones) };
  }

  async toDto(em: EntityManager, t: ContractTerms): Promise<ContractDto> {
    const signatures = await em.query<SignatureRow[]>(
      `SELECT party, user_id, signed_at, terms_hash FROM contract_signatures
        WHERE contract_id = $1 AND cleared_at IS NULL ORDER BY signed_at`,
      [t.row.id],
    );
    return {
      ...toSummary(t.row),
      rights: t.row.rights,
      deliverySpec: t.row.delivery_spec,
      termsHash: t.termsHash,
      signatures: signatures.map((s) => ({
        party: s.party,
        userId: s.user_id,
        signedAt: s.signed_at.toISOString(),
        termsHash: s.terms_hash,
      })),
      milestones: t.milestones,
    };
  }
}
