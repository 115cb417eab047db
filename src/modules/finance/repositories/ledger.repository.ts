import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';

/** A posting as the ledger tables store it: account key, kind, owner, amount in minor units. */
export interface LedgerEntryInput {
  key: string;
  kind: string;
  organisationId: string;
  contractId: string;
  amount: string;
  currency: string;
}

/** The SQL of ledger_transactions, ledger_accounts and ledger_entries. */
@Injectable()
export class LedgerRepository {
  /** The new transaction's id, or undefined when one of that kind and reference exists. */
  async insertTransaction(
    em: EntityManager,
    tx: { kind: string; reference: string; description: string; contractId: string },
  ): Promise<string | undefined> {
    const [row] = await em.query<{ id: string }[]>(
      `INSERT INTO ledger_transactions (kind, reference, description, contract_id) VALUES ($1, $2, $3, $4)
       ON CONFLICT (kind, reference) DO NOTHING RETURNING id`,
      [tx.kind, tx.reference, tx.description, tx.contractId],
    );
    return row?.id;
  }

  /** Creates the accounts the entries need (once per key), then the entries, in their order. */
  async insertEntries(em: EntityManager, transactionId: string, entries: LedgerEntryInput[]): Promise<void> {
    const keys = entries.map((e) => e.key);
    await em.query(
      `INSERT INTO ledger_accounts (key, kind, organisation_id, contract_id, currency)
       SELECT * FROM unnest($1::text[], $2::text[], $3::uuid[], $4::uuid[], $5::text[])
       ON CONFLICT (key) DO NOTHING`,
      [
        keys,
        entries.map((e) => e.kind),
        entries.map((e) => e.organisationId),
        entries.map((e) => e.contractId),
        entries.map((e) => e.currency),
      ],
    );
    await em.query(
      `INSERT INTO ledger_entries (transaction_id, account_id, amount, currency)
       SELECT $1, a.id, e.amount, e.currency
         FROM unnest($2::text[], $3::bigint[], $4::text[]) WITH ORDINALITY AS e(key, amount, currency, ord)
         JOIN ledger_accounts a ON a.key = e.key
        ORDER BY e.ord`,
      [transactionId, keys, entries.map((e) => e.amount), entries.map((e) => e.currency)],
    );
  }

  async transactionContract(em: EntityManager, transactionId: string): Promise<string | undefined> {
    const [orig] = await em.query<{ contract_id: string }[]>(
      'SELECT contract_id FROM ledger_transactions WHERE id = $1',
      [transactionId],
    );
    return orig?.contract_id;
  }

  /** The reversal transaction of `transactionId`, or undefined when it was reversed before. */
  async insertReversal(
    em: EntityManager,
    transactionId: string,
    description: string,
    contractId: string,
  ): Promise<string | undefined> {
    const [row] = await em.query<{ id: string }[]>(
      `INSERT INTO ledger_transactions (kind, reference, description, contract_id) VALUES ('reversal', $1, $2, $3)
       ON CONFLICT (kind, reference) DO NOTHING RETURNING id`,
      [transactionId, description, contractId],
    );
    return row?.id;
  }

  /** Every entry of `originalId`, negated, into `reversalId`. */
  async insertNegatedEntries(em: EntityManager, reversalId: string, originalId: string): Promise<void> {
    await em.query(
      `INSERT INTO ledger_entries (transaction_id, account_id, amount, currency)
       SELECT $1, account_id, -amount, currency FROM ledger_entries WHERE transaction_id = $2 ORDER BY id`,
      [reversalId, originalId],
    );
  }

  /** The balance of each account kind of a contract in one currency (minor units, as text). */
  accountBalances(
    em: EntityManager,
    contractId: string,
    currency: string,
  ): Promise<{ kind: string; balance: string }[]> {
    return em.query<{ kind: string; balance: string }[]>(
      `SELECT a.kind, coalesce(sum(e.amount), 0)::text AS balance
         FROM ledger_accounts a LEFT JOIN ledger_entries e ON e.account_id = a.id
        WHERE a.contract_id = $1 AND a.currency = $2
        GROUP BY a.kind`,
      [contractId, currency],
    );
  }
}
