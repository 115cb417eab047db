import type { ResourceAccess } from '../../shared/auth/access';
import { Policy } from '../../shared/auth/policies';
import type { InvoicesRepository, PayableInvoiceRow } from './repositories/invoices.repository';

export type InvoiceAction = 'pay';

/**
 * Invoices are seen by both parties; only the broadcaster's finance users pay them (a
 * broadcaster sees only the invoices it owes, so the policy is the whole rule). Anyone else: 404.
 */
export const invoiceAccess = (
  repo: InvoicesRepository,
): ResourceAccess<PayableInvoiceRow, InvoiceAction> => ({
  noun: 'Invoice',
  load: (em, user, id, lock) => repo.findVisible(em, user.organisationId, id, lock),
  actions: { pay: Policy.FinanceForBroadcaster },
});
