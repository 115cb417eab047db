import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { money, type Money } from '../../shared/money';

export type AccountKind = 'commitment' | 'commitment_offset' | 'expense' | 'vat_input' | 'payable' | 'cash';

export interface Posting {
  kind: AccountKind;
  /** The organisation whose books the account belongs to (the broadcaster). */
  organisationId: string;
  contractId: string;
  /** Debit positive, credit negative, minor units. */
  amount: bigint;
  currency: string;
}

export interface ContractBalance {
  committed: Money;
  invoiced: Money;
  paid: Money;
  outstanding: Money;
}

const accountKey = (p: Pick<Posting, 'kind' | 'contractId' | 'currency'>): string =>
  `${p.kind}:${p.contractId}:${p.currency}`;

/** Checked in code as well as by the database's deferred trigger. */
export function assertBalanced(postings: Posting[]): void {
  const sums = new Map<string, bigint>();
  for (const p of postings) {
    if (p.amount === 0n) throw new Error('A ledger entry cannot be zero');
    sums.set(p.currency, (sums.get(p.currency) ?? 0n) + p.amount);
  }
  for (const [currency, sum] of sums) {
    if (sum !== 0n) throw new Error(`Unbalanced ledger transaction: ${currency} entries sum to ${sum}`);
  }
}

/**
 * Double-entry ledger in PostgreSQL. Accounts are per contract and kind (the contract's
 * sub-ledger in the broadcaster's books): commitment/commitment_offset (memo of what was
 * signed), expense + vat_input against payable (invoices), payable against cash (payments).
 */
@Injectable()
export class LedgerService {
  /**
   * Posts one transaction unless one of that kind for that reference exists (so a handler run
   * twice posts once). Returns the transaction id, or null when it was posted before.
   */
  async post(
    em: EntityManager,
    tx: {
      kind: 'commitment' | 'invoice' | 'payment' | 'reversal';
      reference: string;
      description: string;
      contractId: string;
    },
    postings: Posting[],
  ): Promise<string | null> {
    assertBalanced(postings);
    const [row] = await em.query<{ id: string }[]>(
      `INSERT INTO ledger_transactions (kind, reference, description, contract_id) VALUES ($1, $2, $3, $4)
       ON CONFLICT (kind, reference) DO NOTHING RETURNING id`,
      [tx.kind, tx.reference, tx.description, tx.contractId],
    );
    if (!row) return null;
    const keys = postings.map(accountKey);
    await em.query(
      `INSERT INTO ledger_accounts (key, kind, organisation_id, contract_id, currency)
       SELECT * FROM unnest($1::text[], $2::text[], $3::uuid[], $4::uuid[], $5::text[])
       ON CONFLICT (key) DO NOTHING`,
      [
        keys,
        postings.map((p) => p.kind),
        postings.map((p) => p.organisationId),
        postings.map((p) => p.contractId),
        postings.map((p) => p.currency),
      ],
    );
    await em.query(
      `INSERT INTO ledger_entries (transaction_id, account_id, amount, currency)
       SELECT $1, a.id, e.amount, e.currency
         FROM unnest($2::text[], $3::bigint[], $4::text[]) WITH ORDINALITY AS e(key, amount, currency, ord)
         JOIN ledger_accounts a ON a.key = e.key
        ORDER BY e.ord`,
      [row.id, keys, postings.map((p) => p.amount.toString()), postings.map((p) => p.currency)],
    );
    return row.id;
  }

  /** A correction: a new transaction with every entry of `transactionId` negated. */
  async reverse(em: EntityManager, transactionId: string, description: string): Promise<string | null> {
    const [orig] = await em.query<{ contract_id: string }[]>(
      'SELECT contract_id FROM ledger_transactions WHERE id = $1',
      [transactionId],
    );
    if (!orig) throw new Error(`No ledger transaction ${transactionId}`);
    const [row] = await em.query<{ id: string }[]>(
      `INSERT INTO ledger_transactions (kind, reference, description, contract_id) VALUES ('reversal', $1, $2, $3)
       ON CONFLICT (kind, reference) DO NOTHING RETURNING id`,
      [transactionId, description, orig.contract_id],
    );
    if (!row) return null;
    await em.query(
      `INSERT INTO ledger_entries (transaction_id, account_id, amount, currency)
       SELECT $1, account_id, -amount, currency FROM ledger_entries WHERE transaction_id = $2 ORDER BY id`,
      [row.id, transactionId],
    );
    return row.id;
  }

  /** committed, invoiced, paid and outstanding of a contract, from its account balances. */
  async contractBalance(em: EntityManager, contractId: string, currency: string): Promise<ContractBalance> {
    const rows = await em.query<{ kind: AccountKind; balance: string }[]>(
      `SELECT a.kind, coalesce(sum(e.amount), 0)::text AS balance
         FROM ledger_accounts a LEFT JOIN ledger_entries e ON e.account_id = a.id
        WHERE a.contract_id = $1 AND a.currency = $2
        GROUP BY a.kind`,
      [contractId, currency],
    );
    const of = (kind: AccountKind): bigint => BigInt(rows.find((r) => r.kind === kind)?.balance ?? '0');
    const invoiced = of('expense') + of('vat_input');
    const paid = -of('cash');
    return {
      committed: money(of('commitment'), currency),
      invoiced: money(invoiced, currency),
      paid: money(paid, currency),
      outstanding: money(-of('payable'), currency),
    };
  }
}
