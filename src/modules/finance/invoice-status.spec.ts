import { DomainError } from '../../shared/errors/domain-error';
import { assertInvoiceTransition, canInvoiceTransition, INVOICE_STATUSES } from './invoice-status';

const ALLOWED: ReadonlyArray<readonly [string, string]> = [['open', 'paid']];

describe('invoice transitions', () => {
  const pairs = INVOICE_STATUSES.flatMap((from) => INVOICE_STATUSES.map((to) => [from, to] as const));
  it.each(pairs)('%s → %s is allowed only if listed', (from, to) => {
    const allowed = ALLOWED.some(([f, t]) => f === from && t === to);
    expect(canInvoiceTransition(from, to)).toBe(allowed);
    let code: string | undefined;
    try {
      assertInvoiceTransition(from, to);
    } catch (err) {
      if (err instanceof DomainError) code = err.def.code;
    }
    expect(code).toBe(allowed ? undefined : 'INVOICE_NOT_OPEN');
  });
});
