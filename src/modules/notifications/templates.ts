import type { NotificationData, NotificationType } from '../../shared/outbox/events';
import { ORGANISATION_TEMPLATES } from './templates/organisation.templates';
import { BRIEF_TEMPLATES } from './templates/briefs.templates';
import { CONTRACT_TEMPLATES } from './templates/contracts.templates';
import { FINANCE_TEMPLATES } from './templates/finance.templates';
import { ACCOUNT_TEMPLATES } from './templates/account.templates';
import { IDEA_TEMPLATES } from './templates/ideas.templates';
import type { MessageLanguage, Templates } from './templates/template';
import { renderMessage, type RenderedMessage } from '../../shared/mail/message';

export { MESSAGE_LANGUAGES, type MessageLanguage, type Template } from './templates/template';

// Every notification type in every language (the texts are in templates/, by group). Product
// terms: brief = бриф / бриф, bid = заявка / өтінім, milestone = этап / кезең, deliverable =
// материал / материал, payout = выплата / төлем, invoice = счёт / шот, contract = договор /
// келісімшарт. No prices or bid content (sealed bids). Amounts are printed as the event gives them.
export const TEMPLATES: Templates = {
  ...ORGANISATION_TEMPLATES,
  ...BRIEF_TEMPLATES,
  ...CONTRACT_TEMPLATES,
  ...FINANCE_TEMPLATES,
  ...ACCOUNT_TEMPLATES,
  ...IDEA_TEMPLATES,
};

export type { RenderedMessage } from '../../shared/mail/message';

// Money in event data is in minor units; messages show major units (150000000 KZT → 1 500 000.00).
const MONEY_KEYS = new Set(['amount', 'total']);

export function formatMinor(amount: number, currency: string): string {
  let digits = 2;
  try {
    digits =
      new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ??
      2;
  } catch {
    // an unknown code: two decimals
  }
  // Integer arithmetic: no floating point on money, even for display.
  const minor = BigInt(amount);
  const sign = minor < 0n ? '-' : '';
  const abs = minor < 0n ? -minor : minor;
  const unit = 10n ** BigInt(digits);
  const whole = (abs / unit).toString().replace(/\B(?=(\d{3})+$)/g, '\u00a0');
  return digits ? `${sign}${whole}.${(abs % unit).toString().padStart(digits, '0')}` : `${sign}${whole}`;
}

export function render(
  type: NotificationType,
  data: NotificationData,
  language: MessageLanguage,
): RenderedMessage {
  return renderMessage(TEMPLATES[type][language], data, (key, v) =>
    MONEY_KEYS.has(key) && typeof v === 'number' && typeof data.currency === 'string'
      ? formatMinor(v, data.currency)
      : String(v),
  );
}
