import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { CreatedAt, UuidPk } from '../../shared/database/columns';

/**
 * Ledger accounts, one per (kind, owner): e.g. the payable of one contract. `key` names it
 * ("payable:<contractId>"), so postings find or create it in one statement.
 */
@Entity('ledger_accounts')
@Index('ledger_accounts_key', ['key'], { unique: true })
@Check(
  'ledger_accounts_kind_check',
  `kind IN ('commitment', 'commitment_offset', 'expense', 'vat_input', 'payable', 'cash')`,
)
export class LedgerAccount {
  @UuidPk('ledger_accounts')
  id: string;

  @Column({ type: 'text' })
  key: string;

  @Column({ type: 'text' })
  kind: string;

  @Column({ name: 'organisation_id', type: 'uuid' })
  organisationId: string;

  @Column({ name: 'contract_id', type: 'uuid', nullable: true })
  contractId: string | null;

  @Column({ type: 'char', length: 3 })
  currency: string;

  @CreatedAt()
  createdAt: Date;
}

/** One balanced set of entries: a commitment, an invoice, a payment, or the reversal of one. */
@Entity('ledger_transactions')
@Index('ledger_transactions_reference_key', ['kind', 'reference'], { unique: true })
@Check('ledger_transactions_kind_check', `kind IN ('commitment', 'invoice', 'payment', 'reversal')`)
export class LedgerTransaction {
  @UuidPk('ledger_transactions')
  id: string;

  @Column({ type: 'text' })
  kind: string;

  /** What it records (contract, invoice, payout, or the reversed transaction), unique per kind. */
  @Column({ type: 'text' })
  reference: string;

  @Column({ type: 'text' })
  description: string;

  @Column({ name: 'contract_id', type: 'uuid', nullable: true })
  contractId: string | null;

  @CreatedAt()
  createdAt: Date;
}

/**
 * Debits positive, credits negative, bigint minor units. The entries of a transaction sum to
 * zero per currency (a deferred constraint trigger checks it at commit) and are never updated
 * or deleted (a trigger refuses it); corrections are reversing transactions.
 */
@Entity('ledger_entries')
@Index('ledger_entries_account_idx', ['accountId'])
@Index('ledger_entries_transaction_idx', ['transactionId'])
@Check('ledger_entries_amount_check', `amount <> 0`)
export class LedgerEntry {
  @PrimaryGeneratedColumn({ type: 'bigint', primaryKeyConstraintName: 'ledger_entries_pkey' })
  id: string;

  @Column({ name: 'transaction_id', type: 'uuid' })
  transactionId: string;

  @ManyToOne(() => LedgerTransaction, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'transaction_id', foreignKeyConstraintName: 'ledger_entries_transaction_fk' })
  private readonly transaction?: LedgerTransaction;

  @Column({ name: 'account_id', type: 'uuid' })
  accountId: string;

  @ManyToOne(() => LedgerAccount, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'account_id', foreignKeyConstraintName: 'ledger_entries_account_fk' })
  private readonly account?: LedgerAccount;

  @Column({ type: 'bigint' })
  amount: string;

  @Column({ type: 'char', length: 3 })
  currency: string;

  @CreatedAt()
  createdAt: Date;
}
