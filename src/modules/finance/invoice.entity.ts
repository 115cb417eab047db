import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { CreatedAt, MinorUnits, Timestamp, UuidPk } from '../../shared/database/columns';

/** One invoice per accepted milestone (invoices_milestone_key). */
@Entity('invoices')
@Index('invoices_milestone_key', ['milestoneId'], { unique: true })
@Index('invoices_broadcaster_idx', ['broadcasterId', 'issuedAt'])
@Index('invoices_studio_idx', ['studioId', 'issuedAt'])
@Check('invoices_status_check', `status IN ('open', 'paid')`)
@Check('invoices_amounts_check', `amount >= 0 AND vat >= 0 AND total = amount + vat`)
export class Invoice {
  @UuidPk('invoices')
  id: string;

  @Column({ name: 'contract_id', type: 'uuid' })
  contractId: string;

  @ManyToOne('Contract', { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'contract_id', foreignKeyConstraintName: 'invoices_contract_fk' })
  private readonly contract?: unknown;

  @Column({ name: 'milestone_id', type: 'uuid' })
  milestoneId: string;

  @ManyToOne('Milestone', { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'milestone_id', foreignKeyConstraintName: 'invoices_milestone_fk' })
  private readonly milestone?: unknown;

  @Column({ name: 'broadcaster_id', type: 'uuid' })
  broadcasterId: string;

  @Column({ name: 'studio_id', type: 'uuid' })
  studioId: string;

  @MinorUnits('amount')
  amount: string;

  @MinorUnits('vat')
  vat: string;

  @MinorUnits('total')
  total: string;

  @Column({ type: 'char', length: 3 })
  currency: string;

  @Column({ type: 'text', default: 'open' })
  status: string;

  @Timestamp('issued_at', { default: () => 'now()' })
  issuedAt: Date;

  @Timestamp('paid_at', { nullable: true })
  paidAt: Date | null;
}

@Entity('payouts')
@Index('payouts_broadcaster_idx', ['broadcasterId', 'createdAt'])
@Index('payouts_studio_idx', ['studioId', 'createdAt'])
@Check('payouts_status_check', `status IN ('pending_approval', 'approved', 'paid')`)
@Check('payouts_approver_check', `approved_by IS NULL OR approved_by <> created_by`)
export class Payout {
  @UuidPk('payouts')
  id: string;

  @Column({ name: 'broadcaster_id', type: 'uuid' })
  broadcasterId: string;

  @ManyToOne('Organisation', { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'broadcaster_id', foreignKeyConstraintName: 'payouts_broadcaster_fk' })
  private readonly broadcaster?: unknown;

  @Column({ name: 'studio_id', type: 'uuid' })
  studioId: string;

  @ManyToOne('Organisation', { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'studio_id', foreignKeyConstraintName: 'payouts_studio_fk' })
  private readonly studio?: unknown;

  @MinorUnits('amount')
  amount: string;

  @Column({ type: 'char', length: 3 })
  currency: string;

  @Column({ type: 'text' })
  status: string;

  @Column({ name: 'created_by', type: 'uuid' })
  createdBy: string;

  @Column({ name: 'approved_by', type: 'uuid', nullable: true })
  approvedBy: string | null;

  @Timestamp('approved_at', { nullable: true })
  approvedAt: Date | null;

  @Column({ type: 'text', nullable: true })
  reference: string | null;

  /** The day the bank paid, as written (the date part of paid_at's input when a time was given). */
  @Column({ name: 'paid_on', type: 'date', nullable: true })
  paidOn: string | null;

  /** The instant the bank paid, when mark-paid was given a full time (null for a bare date). */
  @Timestamp('paid_at', { nullable: true })
  paidAt: Date | null;

  @Column({ name: 'marked_paid_by', type: 'uuid', nullable: true })
  markedPaidBy: string | null;

  @CreatedAt()
  createdAt: Date;
}

/** An invoice is in at most one payout: payout_invoices_invoice_key. */
@Entity('payout_invoices')
@Index('payout_invoices_invoice_key', ['invoiceId'], { unique: true })
export class PayoutInvoice {
  @PrimaryColumn({ name: 'payout_id', type: 'uuid', primaryKeyConstraintName: 'payout_invoices_pkey' })
  payoutId: string;

  @PrimaryColumn({ name: 'invoice_id', type: 'uuid', primaryKeyConstraintName: 'payout_invoices_pkey' })
  invoiceId: string;

  @ManyToOne(() => Payout, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'payout_id', foreignKeyConstraintName: 'payout_invoices_payout_fk' })
  private readonly payout?: Payout;

  @ManyToOne(() => Invoice, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'invoice_id', foreignKeyConstraintName: 'payout_invoices_invoice_fk' })
  private readonly invoice?: Invoice;
}

/**
 * Idempotency-Key records (per organisation), with a hash of the request they answered and
 * the first response, kept at least 24 h.
 */
@Entity('idempotency_keys')
@Index('idempotency_keys_created_idx', ['createdAt'])
export class IdempotencyKey {
  @PrimaryColumn({ name: 'organisation_id', type: 'uuid', primaryKeyConstraintName: 'idempotency_keys_pkey' })
  organisationId: string;

  @PrimaryColumn({ type: 'text', primaryKeyConstraintName: 'idempotency_keys_pkey' })
  key: string;

  @Column({ name: 'request_hash', type: 'text' })
  requestHash: string;

  @Column({ name: 'status_code', type: 'int' })
  statusCode: number;

  @Column({ type: 'jsonb' })
  response: unknown;

  @CreatedAt()
  createdAt: Date;
}
