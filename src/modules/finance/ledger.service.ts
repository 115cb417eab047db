import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { money, type Money } from '../../shared/money';
import { LedgerRepository } from './repositories/ledger.repository';

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
  constructor(private readonly repo: LedgerRepository) {}

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
    const id = await this.repo.insertTransaction(em, tx);
    if (id === undefined) return null;
    await this.repo.insertEntries(
      em,
      id,
      postings.map((p) => ({
        key: accountKey(p),
        kind: p.kind,
        organisationId: p.organisationId,
        contractId: p.contractId,
        amount: p.amount.toString(),
        currency: p.currency,
      })),
    );
    return id;
  }

  /** A correction: a new transaction with every entry of `transactionId` negated. */
  async reverse(em: EntityManager, transactionId: string, description: string): Promise<string | null> {
    const contractId = await this.repo.transactionContract(em, transactionId);
    if (contractId === undefined) throw new Error(`No ledger transaction ${transactionId}`);
    const id = await this.repo.insertReversal(em, transactionId, description, contractId);
    if (id === undefined) return null;
    await this.repo.insertNegatedEntries(em, id, transactionId);
    return id;
  }

  /** committed, invoiced, paid and outstanding of a contract, from its account balances. */
  async contractBalance(em: EntityManager, contractId: string, currency: string): Promise<ContractBalance> {
    const rows = await this.repo.accountBalances(em, contractId, currency);
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
