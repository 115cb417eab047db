import { describeLifecycle } from '../../shared/lifecycle.testing';
import { invoiceLifecycle } from './invoice-status';

describeLifecycle('invoice', invoiceLifecycle, [['open', 'paid']], 'INVOICE_NOT_OPEN');
