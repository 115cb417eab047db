import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { eventTimeSql } from '../../../shared/outbox/outbox-sql';

// The state of a contracting process as open data may show it, read from the owners' tables
// (briefs, bids, contracts, finance, organisations: read only). Everything is read as of an
// outbox event: its time decides what had happened (amendments so far, whether bids were
// sealed), so a release says what was public when the change happened.

export interface OrgFacts {
  id: string;
  name: string;
  country: string;
  bin: string | null;
}

export interface BriefFacts {
  id: string;
  title: string;
  synopsis: string | null;
  genre: string | null;
  format: string | null;
  episodes: number | null;
  episodeMinutes: number | null;
  /** Minor units (int8 as text). */
  budgetMin: string | null;
  budgetMax: string | null;
  currency: string;
  visibility: 'open' | 'invited';
  criteria: { name: string; weight: number }[];
  publishedAt: Date | null;
  questionsCloseAt: Date | null;
  bidsCloseAt: Date | null;
  deliveryDueAt: Date | null;
}

export interface AmendmentFacts {
  id: string;
  date: Date;
  reason: string;
  /** The names of the fields it changed. */
  fields: string[];
}

export interface MilestoneFacts {
  id: string;
  title: string;
  dueAt: Date;
  status: string;
  reviewedAt: Date | null;
}

export interface ContractFacts {
  id: string;
  /** The awarded bid: the award's id. */
  bidId: string;
  studio: OrgFacts;
  status: 'draft' | 'active' | 'completed' | 'terminated';
  value: string;
  currency: string;
  createdAt: Date;
  activatedAt: Date | null;
  milestones: MilestoneFacts[];
}

/** A process as of one outbox event. */
export interface ProcessFacts {
  /** When the event happened (the emitting transaction's database time). */
  at: Date;
  brief: BriefFacts;
  broadcaster: OrgFacts & { publicBody: boolean };
  /** The event is the brief's publication itself (not a later notice of it to invited studios). */
  publishedByEvent: boolean;
  /** The studios whose bids were opened at the close; null while bids were sealed at `at`. */
  tenderers: OrgFacts[] | null;
  amendments: AmendmentFacts[];
  /** The contract, once awarded (as of `at`). */
  contract: ContractFacts | null;
}

/** One invoice a payout settled. */
export interface PaidInvoiceFacts {
  id: string;
  contractId: string;
  briefId: string;
  /** Net amount (the part of the contract value it settles), minor units. */
  amount: string;
  currency: string;
  paidAt: Date;
}

interface BriefRow {
  id: string;
  title: string;
  synopsis: string | null;
  genre: string | null;
  format: string | null;
  episodes: number | null;
  episode_minutes: number | null;
  budget_min: string | null;
  budget_max: string | null;
  currency: string;
  visibility: 'open' | 'invited';
  criteria: { name: string; weight: number }[];
  published_at: Date | null;
  questions_close_at: Date | null;
  bids_close_at: Date | null;
  delivery_due_at: Date | null;
  broadcaster_id: string;
  broadcaster_name: string;
  broadcaster_country: string;
  broadcaster_bin: string | null;
  public_body: boolean;
  at: Date;
  published_by_event: boolean | null;
  sealed: boolean;
}

const org = (id: string, name: string, country: string, bin: string | null): OrgFacts => ({
  id,
  name,
  country: country.trim(),
  bin,
});

@Injectable()
export class OcdsReadModel {
  /** The brief of a contract. */
  async briefOfContract(em: EntityManager, contractId: string): Promise<string | undefined> {
    const [row] = await em.query<{ brief_id: string }[]>('SELECT brief_id FROM contracts WHERE id = $1', [
      contractId,
    ]);
    return row?.brief_id;
  }

  /** The invoices a paid payout settled, by brief; the payment's time as the payout says. */
  async paidInvoices(em: EntityManager, payoutId: string): Promise<PaidInvoiceFacts[]> {
    const rows = await em.query<
      {
        id: string;
        contract_id: string;
        brief_id: string;
        amount: string;
        currency: string;
        paid_at: Date;
      }[]
    >(
      `SELECT i.id, i.contract_id, c.brief_id, i.amount, i.currency,
              coalesce(p.paid_at, p.paid_on::timestamp AT TIME ZONE 'UTC') AS paid_at
         FROM payout_invoices pi
         JOIN payouts p ON p.id = pi.payout_id
         JOIN invoices i ON i.id = pi.invoice_id
         JOIN contracts c ON c.id = i.contract_id
        WHERE pi.payout_id = $1 AND p.status = 'paid'
        ORDER BY c.brief_id, i.issued_at, i.id`,
      [payoutId],
    );
    return rows.map((r) => ({
      id: r.id,
      contractId: r.contract_id,
      briefId: r.brief_id,
      amount: r.amount,
      currency: r.currency,
      paidAt: r.paid_at,
    }));
  }

  /** The process of `briefId` as of outbox event `eventId`; undefined for an unknown brief. */
  async process(em: EntityManager, briefId: string, eventId: string): Promise<ProcessFacts | undefined> {
    const [b] = await em.query<BriefRow[]>(
      `SELECT b.id, b.title, b.synopsis, b.genre, b.format, b.episodes, b.episode_minutes,
              b.budget_min, b.budget_max, b.currency, b.visibility, b.criteria, b.published_at,
              b.questions_close_at, b.bids_close_at, b.delivery_due_at,
              o.id AS broadcaster_id, o.name AS broadcaster_name, o.country AS broadcaster_country,
              o.bin AS broadcaster_bin, o.public_body,
              e.at, b.published_at = e.at AS published_by_event,
              NOT coalesce(b.bids_close_at <= e.at, false) AS sealed
         FROM briefs b
         JOIN organisations o ON o.id = b.broadcaster_id
        CROSS JOIN (SELECT ${eventTimeSql('$2')} AS at) e
        WHERE b.id = $1`,
      [briefId, eventId],
    );
    if (!b) return undefined;
    return {
      at: b.at,
      brief: {
        id: b.id,
        title: b.title,
        synopsis: b.synopsis,
        genre: b.genre,
        format: b.format,
        episodes: b.episodes,
        episodeMinutes: b.episode_minutes,
        budgetMin: b.budget_min,
        budgetMax: b.budget_max,
        currency: b.currency,
        visibility: b.visibility,
        criteria: b.criteria,
        publishedAt: b.published_at,
        questionsCloseAt: b.questions_close_at,
        bidsCloseAt: b.bids_close_at,
        deliveryDueAt: b.delivery_due_at,
      },
      broadcaster: {
        ...org(b.broadcaster_id, b.broadcaster_name, b.broadcaster_country, b.broadcaster_bin),
        publicBody: b.public_body,
      },
      publishedByEvent: b.published_by_event === true,
      tenderers: b.sealed ? null : await this.tenderers(em, briefId),
      amendments: await this.amendments(em, briefId, eventId),
      contract: await this.contract(em, briefId, eventId),
    };
  }

  /**
   * The studios whose submitted bids the close recorded (bid_openings), by name; null when the
   * close is not recorded. Only ever asked once the deadline has passed.
   */
  private async tenderers(em: EntityManager, briefId: string): Promise<OrgFacts[] | null> {
    const rows = await em.query<
      { opened: string; id: string | null; name: string; country: string; bin: string | null }[]
    >(
      `SELECT bo.brief_id AS opened, o.id, o.name, o.country, o.bin
         FROM bid_openings bo
         LEFT JOIN LATERAL jsonb_array_elements(bo.commitments) c ON true
         LEFT JOIN bids bi ON bi.id = (c->>'bidId')::uuid
         LEFT JOIN organisations o ON o.id = bi.studio_id
        WHERE bo.brief_id = $1
        ORDER BY o.name, o.id`,
      [briefId],
    );
    if (!rows.length) return null;
    return rows.filter((r) => r.id !== null).map((r) => org(r.id!, r.name, r.country, r.bin));
  }

  private async amendments(em: EntityManager, briefId: string, eventId: string): Promise<AmendmentFacts[]> {
    const rows = await em.query<{ id: string; created_at: Date; reason: string; fields: string[] }[]>(
      `SELECT a.id, a.created_at, a.reason,
              ARRAY(SELECT k FROM jsonb_object_keys(a.changes) k ORDER BY k) AS fields
         FROM brief_amendments a
        WHERE a.brief_id = $1 AND a.created_at <= ${eventTimeSql('$2')}
        ORDER BY a.created_at, a.id`,
      [briefId, eventId],
    );
    return rows.map((r) => ({ id: r.id, date: r.created_at, reason: r.reason, fields: r.fields }));
  }

  private async contract(em: EntityManager, briefId: string, eventId: string): Promise<ContractFacts | null> {
    const [c] = await em.query<
      {
        id: string;
        bid_id: string;
        status: ContractFacts['status'];
        value_amount: string;
        currency: string;
        created_at: Date;
        activated_at: Date | null;
        studio_id: string;
        studio_name: string;
        studio_country: string;
        studio_bin: string | null;
      }[]
    >(
      `SELECT c.id, c.bid_id, c.status, c.value_amount, c.currency, c.created_at, c.activated_at,
              o.id AS studio_id, o.name AS studio_name, o.country AS studio_country, o.bin AS studio_bin
         FROM contracts c
         JOIN organisations o ON o.id = c.studio_id
        WHERE c.brief_id = $1 AND c.created_at <= ${eventTimeSql('$2')}`,
      [briefId, eventId],
    );
    if (!c) return null;
    const milestones = await em.query<
      { id: string; title: string; due_at: Date; status: string; reviewed_at: Date | null }[]
    >(
      'SELECT id, title, due_at, status, reviewed_at FROM milestones WHERE contract_id = $1 ORDER BY sequence',
      [c.id],
    );
    return {
      id: c.id,
      bidId: c.bid_id,
      studio: org(c.studio_id, c.studio_name, c.studio_country, c.studio_bin),
      status: c.status,
      value: c.value_amount,
      currency: c.currency.trim(),
      createdAt: c.created_at,
      activatedAt: c.activated_at,
      milestones: milestones.map((m) => ({
        id: m.id,
        title: m.title,
        dueAt: m.due_at,
        status: m.status,
        reviewedAt: m.reviewed_at,
      })),
    };
  }
}
