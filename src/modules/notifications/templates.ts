import type { NotificationData, NotificationType } from '../../shared/outbox/events';

export const MESSAGE_LANGUAGES = ['en', 'ru', 'kk'] as const;
export type MessageLanguage = (typeof MESSAGE_LANGUAGES)[number];

interface Template {
  /** One line: the in-app title and the e-mail subject. `{name}` is replaced from the event data. */
  title: string;
  /** The e-mail body, plain text; the HTML part is derived from it. */
  body: string;
}

type Templates = { [T in NotificationType]: { en: Template } & Partial<Record<MessageLanguage, Template>> };

// One template per notification type (English; other languages where written, English otherwise).
const TEMPLATES: Templates = {
  'member.invited': {
    en: {
      title: 'You have been added to {organisationName}',
      body: 'You have been added to {organisationName} on Efir as {role}. Sign in with {email} and the password your administrator gave you, then change it.',
    },
    ru: {
      title: 'Вас добавили в {organisationName}',
      body: 'Вас добавили в {organisationName} на Efir с ролью {role}. Войдите с адресом {email} и паролем, который вам передал администратор, затем смените его.',
    },
    kk: {
      title: 'Сіз {organisationName} ұйымына қосылдыңыз',
      body: 'Сіз Efir жүйесінде {organisationName} ұйымына {role} рөлімен қосылдыңыз. {email} адресімен және әкімші берген құпиясөзбен кіріп, оны ауыстырыңыз.',
    },
  },
  'organisation.verified': {
    en: {
      title: '{organisationName} is verified',
      body: 'The Efir operator has verified {organisationName}.',
    },
  },
  'brief.published': {
    en: { title: 'New brief: {briefTitle}', body: 'A new brief was published: {briefTitle}.' },
  },
  'brief.amended': {
    en: { title: 'Brief amended: {briefTitle}', body: 'The brief {briefTitle} was amended.' },
  },
  'brief.cancelled': {
    en: { title: 'Brief cancelled: {briefTitle}', body: 'The brief {briefTitle} was cancelled.' },
  },
  'brief.closing_soon': {
    en: { title: 'Bids close in 24 hours: {briefTitle}', body: 'Bids for {briefTitle} close in 24 hours.' },
  },
  'question.answered': {
    en: {
      title: 'Question answered: {briefTitle}',
      body: 'A clarification question on {briefTitle} was answered.',
    },
  },
  'bid.submitted': {
    en: { title: 'Bid submitted: {briefTitle}', body: 'Your bid for {briefTitle} was submitted.' },
  },
  'bids.opened': {
    en: { title: 'Bids opened: {briefTitle}', body: 'The bid window of {briefTitle} has closed.' },
  },
  'bid.awarded': {
    en: { title: 'Your bid won: {briefTitle}', body: 'Your bid for {briefTitle} was awarded.' },
  },
  'bid.not_selected': {
    en: { title: 'Bid not selected: {briefTitle}', body: 'Your bid for {briefTitle} was not selected.' },
  },
  'contract.ready_to_sign': {
    en: { title: 'Contract ready to sign', body: 'A contract is ready for your signature.' },
  },
  'contract.active': {
    en: { title: 'Contract active', body: 'Both parties have signed; the contract is active.' },
  },
  'milestone.submitted': {
    en: { title: 'Milestone submitted: {milestoneTitle}', body: 'A milestone was submitted for review.' },
  },
  'milestone.accepted': {
    en: { title: 'Milestone accepted: {milestoneTitle}', body: 'A milestone was accepted.' },
  },
  'milestone.changes_requested': {
    en: { title: 'Changes requested: {milestoneTitle}', body: 'Changes were requested on a milestone.' },
  },
  'milestone.due_soon': {
    en: { title: 'Milestone due in 3 days: {milestoneTitle}', body: 'A milestone is due in 3 days.' },
  },
  'milestone.review_overdue': {
    en: { title: 'Review overdue: {milestoneTitle}', body: 'A submitted milestone is waiting for review.' },
  },
  'deliverable.ready': { en: { title: 'Deliverable ready: {fileName}', body: 'The upload was verified.' } },
  'deliverable.rejected': {
    en: { title: 'Deliverable rejected: {fileName}', body: 'The uploaded file did not match its checksum.' },
  },
  'invoice.issued': { en: { title: 'Invoice issued', body: 'An invoice was issued.' } },
  'payout.approval_needed': {
    en: { title: 'Payout needs approval', body: 'A payout needs a second approval.' },
  },
  'payout.approved': { en: { title: 'Payout approved', body: 'A payout was approved.' } },
  'payout.paid': { en: { title: 'Payout paid', body: 'A payout was paid.' } },
  'webhook.failed': {
    en: {
      title: 'Webhook delivery failed: {url}',
      body: 'A {eventType} event could not be delivered to {url} after every retry. It can be redelivered from the deliveries list.',
    },
  },
};

export interface RenderedMessage {
  title: string;
  text: string;
  html: string;
}

const escapeHtml = (s: string): string =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

function fill(template: string, data: NotificationData, escape: (s: string) => string): string {
  return template.replace(/\{(\w+)\}/g, (_, key: string) => {
    const v = data[key];
    return v === undefined || v === null ? '' : escape(String(v));
  });
}

export function render(
  type: NotificationType,
  data: NotificationData,
  language: MessageLanguage,
): RenderedMessage {
  const t = TEMPLATES[type][language] ?? TEMPLATES[type].en;
  const text = fill(t.body, data, (s) => s);
  return {
    title: fill(t.title, data, (s) => s),
    text: `${text}\n\n— Efir`,
    html: `<!doctype html><html><body><p>${fill(t.body, data, escapeHtml)}</p><p>— Efir</p></body></html>`,
  };
}
