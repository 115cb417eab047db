import { defineLifecycle } from '../../shared/lifecycle';
import { FinanceErrors } from './finance.errors';

export const INVOICE_STATUSES = ['open', 'paid'] as const;
export type InvoiceStatus = (typeof INVOICE_STATUSES)[number];

/** The allowed moves of a invoice (the CHECK constraint lists the same statuses). */
export const invoiceLifecycle = defineLifecycle<InvoiceStatus>(
  'invoice',
  INVOICE_STATUSES,
  {
    open: ['paid'],
    paid: [],
  },
  FinanceErrors.INVOICE_NOT_OPEN,
);
