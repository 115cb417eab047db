/** A message template: a one-line title (also the e-mail subject) and a plain-text body. */
export interface MessageTemplate {
  /** `{name}` placeholders are replaced from the data. */
  title: string;
  /** Plain text; the HTML part is derived from it (a blank line starts a new paragraph). */
  body: string;
}

export interface RenderedMessage {
  title: string;
  text: string;
  html: string;
}

export type MessageData = Record<string, string | number | boolean | null | undefined>;

export const escapeHtml = (s: string): string =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** Blank lines separate paragraphs; a single line break (e.g. inside review notes) stays one. */
const paragraphs = (escaped: string): string =>
  escaped
    .replace(/\r\n?/g, '\n')
    .split(/\n{2,}/)
    .map((p) => `<p>${p.replace(/\n/g, '<br>')}</p>`)
    .join('');

/**
 * Fills `{key}` placeholders from `data` (missing or null: empty), each value through `format`
 * (which may print money or dates) and then `escape`.
 */
function fill(
  template: string,
  data: MessageData,
  escape: (s: string) => string,
  format: (key: string, value: string | number | boolean) => string,
): string {
  return template.replace(/\{(\w+)\}/g, (_, key: string) => {
    const v = Object.hasOwn(data, key) ? data[key] : undefined;
    if (v === undefined || v === null) return '';
    return escape(format(key, v));
  });
}

/** The e-mail of a template: a one-line subject, the text part and the HTML part (data escaped). */
export function renderMessage(
  t: MessageTemplate,
  data: MessageData,
  format: (key: string, value: string | number | boolean) => string = (_, v) => String(v),
): RenderedMessage {
  const same = (s: string): string => s;
  return {
    // One line whatever the data holds: it is also the e-mail subject.
    title: fill(t.title, data, same, format).replace(/\s+/g, ' ').trim(),
    text: `${fill(t.body, data, same, format)}\n\n— Efir`,
    html: `<!doctype html><html><body>${paragraphs(fill(t.body, data, escapeHtml, format))}<p>— Efir</p></body></html>`,
  };
}
