import { renderMessage } from '../../shared/mail/message';
import { IDEA_MAIL_LANGUAGES, IDEA_MAIL_TEMPLATES, mailLanguage } from './idea-mail.templates';

const placeholders = (s: string): string[] => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!).sort();

describe('idea e-mail templates', () => {
  it.each(Object.keys(IDEA_MAIL_TEMPLATES))('%s uses the same placeholders in every language', (name) => {
    const t = IDEA_MAIL_TEMPLATES[name as keyof typeof IDEA_MAIL_TEMPLATES];
    const en = placeholders(t.en.title + t.en.body);
    for (const language of IDEA_MAIL_LANGUAGES) {
      expect(placeholders(t[language].title + t[language].body)).toEqual(en);
      expect(t[language].title).not.toMatch(/\n/);
    }
  });

  it('escapes the data in the HTML part only', () => {
    const m = renderMessage(IDEA_MAIL_TEMPLATES.answer.kk, { ideaTitle: '<b>Қазақ</b>', answer: 'a & b' });
    expect(m.text).toContain('<b>Қазақ</b>');
    expect(m.html).toContain('&lt;b&gt;Қазақ&lt;/b&gt;');
    expect(m.html).toContain('a &amp; b');
  });

  it("writes in the call's first language Efir has, else English", () => {
    expect(mailLanguage(['kk', 'ru'])).toBe('kk');
    expect(mailLanguage(['de', 'ru'])).toBe('ru');
    expect(mailLanguage(['de'])).toBe('en');
    expect(mailLanguage([])).toBe('en');
  });
});
