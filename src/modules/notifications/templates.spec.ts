import { NOTIFICATION_TYPES, type NotificationData, type NotificationType } from '../../shared/outbox/events';
import { formatMinor, MESSAGE_LANGUAGES, render, TEMPLATES, type MessageLanguage } from './templates';

const PLACEHOLDER = /\{(\w+)\}/g;

/** The placeholders of one language's template: its title and body, or only `part` of it. */
const placeholders = (
  type: NotificationType,
  language: MessageLanguage,
  part?: 'title' | 'body',
): Set<string> => {
  const { title, body } = TEMPLATES[type][language];
  const text = part === 'title' ? title : part === 'body' ? body : `${title}\n${body}`;
  return new Set([...text.matchAll(PLACEHOLDER)].map((m) => m[1]!));
};

/** Every key any language of the type uses, each mapped to `value(key)`. */
const dataFor = (type: NotificationType, value: (key: string) => string): NotificationData =>
  Object.fromEntries(
    MESSAGE_LANGUAGES.flatMap((l) => [...placeholders(type, l)]).map((key) => [key, value(key)]),
  );

/**
 * The `data` keys each event carries where it is emitted (`outbox.emit(` under src/). None is a
 * price or any part of a bid: bids are sealed.
 */
const EMITTED_KEYS: Record<NotificationType, readonly string[]> = {
  'member.invited': ['organisationName', 'role', 'email'],
  'organisation.verified': ['organisationId', 'organisationName'],
  'brief.published': ['briefId', 'briefTitle', 'broadcasterName'],
  'brief.amended': ['briefId', 'briefTitle', 'reason'],
  'brief.cancelled': ['briefId', 'briefTitle', 'reason'],
  'brief.closing_soon': ['briefId', 'briefTitle', 'bidsCloseAt'],
  'question.answered': ['briefId', 'briefTitle', 'questionId'],
  'bid.submitted': ['briefId', 'bidId', 'briefTitle'],
  'bids.opened': ['briefId', 'briefTitle', 'bidCount'],
  'bid.awarded': ['briefId', 'briefTitle', 'bidId', 'contractId'],
  'bid.not_selected': ['briefId', 'briefTitle'],
  'contract.ready_to_sign': ['contractId'],
  'contract.active': ['contractId'],
  'milestone.submitted': ['milestoneId', 'milestoneTitle', 'contractId'],
  'milestone.accepted': ['milestoneId', 'milestoneTitle', 'contractId', 'amount'],
  'milestone.changes_requested': ['milestoneId', 'milestoneTitle', 'contractId', 'notes'],
  'milestone.due_soon': ['milestoneId', 'milestoneTitle', 'contractId'],
  'milestone.review_overdue': ['milestoneId', 'milestoneTitle', 'contractId'],
  'deliverable.ready': ['deliverableId', 'fileName', 'milestoneId', 'contractId'],
  'deliverable.rejected': ['deliverableId', 'fileName', 'milestoneId', 'contractId'],
  'deliverable.qc_passed': [
    'deliverableId',
    'fileName',
    'milestoneId',
    'milestoneTitle',
    'contractId',
    'status',
    'failedChecks',
  ],
  'deliverable.qc_failed': [
    'deliverableId',
    'fileName',
    'milestoneId',
    'milestoneTitle',
    'contractId',
    'status',
    'failedChecks',
  ],
  'invoice.issued': ['invoiceId', 'milestoneId', 'contractId', 'total', 'currency'],
  'invoice.overdue': ['invoiceId', 'contractId', 'total', 'currency', 'days'],
  'payout.approval_needed': ['payoutId', 'amount', 'currency'],
  'payout.approved': ['payoutId', 'amount', 'currency'],
  'payout.paid': ['payoutId', 'amount', 'currency'],
  'webhook.failed': ['deliveryId', 'url', 'eventType'],
  'account.login_attack': ['failures', 'addresses', 'windowMinutes'],
  'idea.submitted': ['ideaId', 'callId', 'callTitle', 'ideaTitle'],
  'idea.reported': ['ideaId', 'callId', 'callTitle', 'ideaTitle', 'reason', 'reports'],
};

const TRANSLATIONS = MESSAGE_LANGUAGES.filter((l) => l !== 'en');

describe('Notification templates', () => {
  describe.each(NOTIFICATION_TYPES)('%s', (type) => {
    it.each(MESSAGE_LANGUAGES)('has a non-empty one-line title and a non-empty body in %s', (language) => {
      const { title, body } = TEMPLATES[type][language];
      expect(title.trim().length).toBeGreaterThan(0);
      expect(title).not.toMatch(/[\r\n]/);
      expect(body.trim().length).toBeGreaterThan(0);

      const m = render(
        type,
        dataFor(type, (k) => `${k}-value`),
        language,
      );
      expect(m.title.length).toBeGreaterThan(0);
      expect(m.text.length).toBeGreaterThan(m.title.length);
    });

    it.each(TRANSLATIONS)('uses in %s only placeholders that the English template uses', (language) => {
      const en = placeholders(type, 'en');
      expect([...placeholders(type, language)].filter((p) => !en.has(p))).toEqual([]);
    });

    it('uses only data keys that its event carries', () => {
      const used = MESSAGE_LANGUAGES.flatMap((l) => [...placeholders(type, l)]);
      expect(used.filter((p) => !EMITTED_KEYS[type].includes(p))).toEqual([]);
    });

    it.each(MESSAGE_LANGUAGES)(
      'replaces every placeholder in %s when the data carries every key the templates use',
      (language) => {
        const data = dataFor(type, (k) => `[${k}]`);
        const m = render(type, data, language);
        for (const part of [m.title, m.text, m.html]) expect(part).not.toMatch(/\{\w+\}/);
        for (const key of placeholders(type, language, 'title')) expect(m.title).toContain(`[${key}]`);
        for (const key of placeholders(type, language, 'body')) {
          expect(m.text).toContain(`[${key}]`);
          expect(m.html).toContain(`[${key}]`);
        }
      },
    );

    it.each(MESSAGE_LANGUAGES)('escapes the data in the HTML part only, in %s', (language) => {
      const hostile = `<script>alert("x")</script> & 'y'`;
      const m = render(
        type,
        dataFor(type, () => hostile),
        language,
      );
      expect(m.html).not.toContain('<script>');
      // Every body uses some data, so this checks every template.
      expect(placeholders(type, language, 'body').size).toBeGreaterThan(0);
      expect(m.html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;y&#39;');
      expect(m.text).toContain(hostile);
    });

    it.each(MESSAGE_LANGUAGES)('renders missing or null data as empty text in %s', (language) => {
      const nulls = Object.fromEntries(Object.keys(dataFor(type, () => '')).map((k) => [k, null]));
      for (const m of [render(type, {}, language), render(type, nulls, language)]) {
        expect(m.title.length).toBeGreaterThan(0);
        expect(`${m.title}\n${m.text}\n${m.html}`).not.toMatch(/undefined|null|\{\w+\}/);
      }
    });
  });

  it('fills placeholders and escapes them in HTML only', () => {
    const m = render('brief.published', { briefTitle: 'Tom & <Jerry>' }, 'en');
    expect(m.title).toBe('New brief: Tom & <Jerry>');
    expect(m.html).toContain('Tom &amp; &lt;Jerry&gt;');
  });

  it("writes the title in the recipient's language", () => {
    expect(render('member.invited', { organisationName: 'Qazaq TV' }, 'kk').title).toBe(
      'Сіз Qazaq TV ұйымына қосылдыңыз',
    );
    expect(render('brief.published', { briefTitle: 'X' }, 'ru').title).toBe('Новый бриф: X');
    expect(render('brief.published', { briefTitle: 'X' }, 'kk').title).toBe('Жаңа бриф: X');
    expect(render('brief.published', { briefTitle: 'X' }, 'en').title).toBe('New brief: X');
  });

  it('keeps a title on one line even when the data holds line breaks', () => {
    const m = render('brief.published', { briefTitle: 'Part one\r\nPart two' }, 'en');
    expect(m.title).toBe('New brief: Part one Part two');
  });

  it('puts the notes and the reason into the message', () => {
    const notes = render(
      'milestone.changes_requested',
      { milestoneTitle: 'Rough cut', notes: 'Fix the mix' },
      'ru',
    );
    expect(notes.text).toContain('Fix the mix');
    const reason = render('brief.cancelled', { briefTitle: 'Dala', reason: 'Budget withdrawn' }, 'kk');
    expect(reason.text).toContain('Budget withdrawn');
  });

  it('turns blank lines into paragraphs and keeps line breaks of the notes in the HTML', () => {
    const m = render(
      'milestone.changes_requested',
      { milestoneTitle: 'Rough cut', contractId: 'c-1', notes: 'Louder dialogue\nShorter intro' },
      'en',
    );
    expect(m.text).toContain('Louder dialogue\nShorter intro');
    expect(m.html).toContain('Louder dialogue<br>Shorter intro');
    expect(m.html.match(/<p>/g)!.length).toBeGreaterThanOrEqual(4);
  });

  it('prints the amount of a payout in major units of its currency (the event carries minor units)', () => {
    for (const language of MESSAGE_LANGUAGES) {
      const m = render('payout.paid', { payoutId: 'p-1', amount: 150000000, currency: 'KZT' }, language);
      expect(m.text).toContain('1\u00a0500\u00a0000.00 KZT');
    }
  });
});

describe('formatMinor', () => {
  it('shows minor units as major units with the currency decimals, grouped', () => {
    expect(formatMinor(150000000, 'KZT')).toBe('1\u00a0500\u00a0000.00');
    expect(formatMinor(5, 'KZT')).toBe('0.05');
    expect(formatMinor(1234, 'JPY')).toBe('1\u00a0234');
    expect(formatMinor(9007199254740991, 'KZT')).toBe('90\u00a0071\u00a0992\u00a0547\u00a0409.91');
  });
});
