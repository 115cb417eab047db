import { DomainError } from '../../shared/errors/domain-error';
import { FinanceErrors } from './finance.errors';

export const INVOICE_STATUSES = ['open', 'paid'] as const;
export type InvoiceStatus = (typeof INVOICE_STATUSES)[number];

/** The allowed moves of a invoice (the CHECK constraint lists the same statuses). */
export const INVOICE_TRANSITIONS: Record<InvoiceStatus, readonly InvoiceStatus[]> = {
  open: ['paid'],
  paid: [],
};

export function canInvoiceTransition(from: InvoiceStatus, to: InvoiceStatus): boolean {
  return INVOICE_TRANSITIONS[from].includes(to);
}

export function assertInvoiceTransition(from: InvoiceStatus, to: InvoiceStatus): void {
  if (!canInvoiceTransition(from, to)) {
    throw new DomainError(FinanceErrors.INVOICE_NOT_OPEN, `A ${from} invoice cannot become ${to}`);
  }
}
