import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { transitionOrThrow, type TransitionOptions } from '../../../shared/database/transition';
import { cursorTsSql } from '../../../shared/http/pagination';
import { money } from '../../../shared/money';
import { joinOrganisation } from '../../organisations/organisation-sql';
import type { MilestoneDto } from '../dto/contract.dto';
import { milestoneLifecycle, type MilestoneStatus } from '../milestone-status';

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

export const toMilestoneDto = (m: MilestoneRow, currency: string): MilestoneDto => ({
  id: m.id,
  contractId: m.contract_id,
  sequence: m.sequence,
  title: m.title,
  amount: money(m.amount, currency),
  dueAt: m.due_at.toISOString(),
  status: m.status,
});

/** One row of a new schedule. */
export interface MilestoneInsert {
  title: string;
  /** Whole minor units. */
  amount: string;
  dueAt: string;
}

/** What a scheduled milestone reminder needs to know, with its contract. */
export interface MilestoneReminderRow {
  title: string;
  status: string;
  due_at: string;
  submitted_at: string | null;
  broadcaster_id: string;
  studio_id: string;
  contract_id: string;
  contract_status: string;
}

/** A milestone with what its invoice needs (finance). */
export interface MilestoneForInvoiceRow {
  contract_id: string;
  status: string;
  amount: string;
  currency: string;
  broadcaster_id: string;
  studio_id: string;
  vat: string;
  title: string;
}

/** The SQL of `milestones`. */
@Injectable()
export class MilestonesRepository {
  async forContract(em: EntityManager, contractId: string): Promise<MilestoneRow[]> {
    return em.query<MilestoneRow[]>(
      `SELECT ${MILESTONE_COLUMNS} FROM milestones WHERE contract_id = $1 ORDER BY sequence`,
      [contractId],
    );
  }

  /** One page of a contract's schedule in sequence order, after the sequence `afterSequence`. */
  async pageForContract(
    em: EntityManager,
    contractId: string,
    afterSequence: number | null,
    limit: number,
  ): Promise<MilestoneRow[]> {
    return em.query<MilestoneRow[]>(
      `SELECT ${MILESTONE_COLUMNS} FROM milestones
        WHERE contract_id = $1 AND ($2::int IS NULL OR sequence > $2::int)
        ORDER BY sequence LIMIT $3`,
      [contractId, afterSequence, limit],
    );
  }

  /** The milestone locked FOR UPDATE (a review's single winner). */
  async lock(em: EntityManager, id: string): Promise<MilestoneRow | undefined> {
    const [m] = await em.query<MilestoneRow[]>(
      `SELECT ${MILESTONE_COLUMNS} FROM milestones WHERE id = $1 FOR UPDATE`,
      [id],
    );
    return m;
  }

  /** The milestone's status, the row locked FOR UPDATE. */
  async lockStatus(em: EntityManager, id: string): Promise<{ status: string } | undefined> {
    const [m] = await em.query<{ status: string }[]>(
      'SELECT status FROM milestones WHERE id = $1 FOR UPDATE',
      [id],
    );
    return m;
  }

  async contractIdOf(em: EntityManager, id: string): Promise<string | undefined> {
    const [m] = await em.query<{ contract_id: string }[]>(
      'SELECT contract_id FROM milestones WHERE id = $1',
      [id],
    );
    return m?.contract_id;
  }

  async heading(em: EntityManager, id: string): Promise<{ contract_id: string; title: string } | undefined> {
    const [m] = await em.query<{ contract_id: string; title: string }[]>(
      'SELECT contract_id, title FROM milestones WHERE id = $1',
      [id],
    );
    return m;
  }

  /** Appends a schedule (sequence 1…n in the given order). */
  async insertSchedule(em: EntityManager, contractId: string, schedule: MilestoneInsert[]): Promise<void> {
    await em.query(
      `INSERT INTO milestones (contract_id, sequence, title, amount, due_at)
       SELECT $1, ord, t, a, d FROM unnest($2::text[], $3::bigint[], $4::timestamptz[]) WITH ORDINALITY AS m(t, a, d, ord)`,
      [contractId, schedule.map((m) => m.title), schedule.map((m) => m.amount), schedule.map((m) => m.dueAt)],
    );
  }

  async deleteForContract(em: EntityManager, contractId: string): Promise<void> {
    await em.query('DELETE FROM milestones WHERE contract_id = $1', [contractId]);
  }

  async forReminder(em: EntityManager, id: string): Promise<MilestoneReminderRow | undefined> {
    const [m] = await em.query<MilestoneReminderRow[]>(
      `SELECT m.title, m.status, ${cursorTsSql('m.due_at')} AS due_at,
              ${cursorTsSql('m.submitted_at')} AS submitted_at, c.broadcaster_id, c.studio_id, c.id AS contract_id,
              c.status AS contract_status
         FROM milestones m JOIN contracts c ON c.id = m.contract_id WHERE m.id = $1`,
      [id],
    );
    return m;
  }

  /** The milestone (locked FOR UPDATE OF m) with its contract and the broadcaster's VAT on it. */
  async forInvoice(em: EntityManager, id: string): Promise<MilestoneForInvoiceRow | undefined> {
    const [m] = await em.query<MilestoneForInvoiceRow[]>(
      `SELECT m.contract_id, m.status, m.amount, c.currency, c.broadcaster_id, c.studio_id, m.title,
              round(m.amount * coalesce(o.vat_rate, 0) / 100)::bigint::text AS vat
         FROM milestones m JOIN contracts c ON c.id = m.contract_id ${joinOrganisation('o', 'c.broadcaster_id')}
        WHERE m.id = $1 FOR UPDATE OF m`,
      [id],
    );
    return m;
  }

  /**
   * The one way a milestone's status changes: `UPDATE … WHERE status = ANY(<allowed from>)`;
   * MILESTONE_STATE_CONFLICT when the move is not allowed (callers check under a lock first).
   */
  async transition<R = { id: string; status: MilestoneStatus }>(
    em: EntityManager,
    id: string,
    to: MilestoneStatus,
    options: TransitionOptions = {},
  ): Promise<R> {
    return transitionOrThrow<MilestoneStatus, R>(em, 'milestones', milestoneLifecycle, id, to, options);
  }

  /** Set-based: the given milestones that may become `paid` (the invoiced ones) become paid. */
  async markPaid(em: EntityManager, ids: string[]): Promise<void> {
    await em.query(
      `UPDATE milestones SET status = 'paid' WHERE id = ANY($1::uuid[]) AND status = ANY($2::text[])`,
      [ids, milestoneLifecycle.from('paid')],
    );
  }
}
