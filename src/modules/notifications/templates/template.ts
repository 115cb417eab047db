import type { NotificationType } from '../../../shared/outbox/events';

export const MESSAGE_LANGUAGES = ['en', 'ru', 'kk'] as const;
export type MessageLanguage = (typeof MESSAGE_LANGUAGES)[number];

export interface Template {
  /**
   * One line: the in-app title and the e-mail subject. `{name}` is replaced from the event data.
   */
  title: string;
  /**
   * The e-mail body, plain text; the HTML part is derived from it (a blank line starts a new
   * paragraph). Use only `{name}` placeholders that the event's data carries.
   */
  body: string;
}

export type Templates = { readonly [T in NotificationType]: Readonly<Record<MessageLanguage, Template>> };
