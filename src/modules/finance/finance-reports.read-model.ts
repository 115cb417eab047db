import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { joinOrganisation } from '../organisations/organisation-sql';

// A read model (table-owners: *.read-model.ts may read, never write, other modules' tables): the
// finance reports group invoices by the contract's brief (genre) and the studio's name, so they
// read contracts and briefs, which contracts and briefs own. The SQL is hand-tuned (see
// test/e2e/query-plans.e2e-spec.ts); keep its text.

/** Group keys of the spend report; each reads the invoice `i`, its contract `c` and brief `b`. */
export const SPEND_GROUPS = {
  studio: { key: 'i.studio_id::text', label: 'so.name' },
  genre: { key: `coalesce(b.genre, '')`, label: `coalesce(b.genre, '(none)')` },
  month: {
    key: `to_char(i.issued_at AT TIME ZONE 'UTC', 'YYYY-MM')`,
    label: `to_char(i.issued_at AT TIME ZONE 'UTC', 'YYYY-MM')`,
  },
} as const;

export type SpendGroup = keyof typeof SPEND_GROUPS;

export interface SpendRow {
  key: string;
  label: string;
  invoices: number;
  amount: string;
  currency: string;
}

export interface PayablesRow {
  studio_id: string;
  studio_name: string;
  currency: string;
  b0: string;
  b31: string;
  b61: string;
  b91: string;
  total: string;
}

/** The SQL of the finance reports (spend, payables ageing) of a broadcaster. */
@Injectable()
export class FinanceReportsReadModel {
  /** Invoiced spend grouped by studio, genre or month and currency, issued in [from, to). */
  spend(
    em: EntityManager,
    broadcasterId: string,
    q: { groupBy: SpendGroup; from?: string; to?: string },
  ): Promise<SpendRow[]> {
    const g = SPEND_GROUPS[q.groupBy];
    return em.query<SpendRow[]>(
      `SELECT ${g.key} AS key, ${g.label} AS label, count(*)::int AS invoices, sum(i.total)::text AS amount, i.currency
         FROM invoices i JOIN contracts c ON c.id = i.contract_id JOIN briefs b ON b.id = c.brief_id
         ${joinOrganisation('so', 'i.studio_id')}
        WHERE i.broadcaster_id = $1 AND ($2::date IS NULL OR i.issued_at >= $2::date)
          AND ($3::date IS NULL OR i.issued_at < $3::date)
        GROUP BY 1, 2, i.currency ORDER BY 1, i.currency`,
      [broadcasterId, q.from ?? null, q.to ?? null],
    );
  }

  /** Open invoices by age (days since issue, database clock) per studio and currency. */
  payables(em: EntityManager, broadcasterId: string): Promise<PayablesRow[]> {
    return em.query<PayablesRow[]>(
      `WITH aged AS (
         SELECT i.studio_id, i.currency, i.total, (now()::date - i.issued_at::date) AS age
           FROM invoices i WHERE i.broadcaster_id = $1 AND i.status = 'open')
       SELECT a.studio_id, so.name AS studio_name, a.currency,
              coalesce(sum(total) FILTER (WHERE age <= 30), 0)::text AS b0,
              coalesce(sum(total) FILTER (WHERE age BETWEEN 31 AND 60), 0)::text AS b31,
              coalesce(sum(total) FILTER (WHERE age BETWEEN 61 AND 90), 0)::text AS b61,
              coalesce(sum(total) FILTER (WHERE age > 90), 0)::text AS b91,
              sum(total)::text AS total
         FROM aged a ${joinOrganisation('so', 'a.studio_id')}
        GROUP BY a.studio_id, so.name, a.currency ORDER BY so.name, a.currency`,
      [broadcasterId],
    );
  }

  /** The database clock (a report's "as of"). */
  async now(em: EntityManager): Promise<Date> {
    const [now] = await em.query<{ now: Date }[]>('SELECT now()');
    return now!.now;
  }
}
