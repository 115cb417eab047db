import { NOTIFICATION_TYPES } from '../../shared/outbox/events';
import { render } from './templates';

describe('render', () => {
  it('has an English template for every notification type', () => {
    for (const type of NOTIFICATION_TYPES) {
      const m = render(type, {}, 'en');
      expect(m.title.length).toBeGreaterThan(0);
      expect(m.text.length).toBeGreaterThan(0);
    }
  });

  it('fills placeholders and escapes them in HTML only', () => {
    const m = render('brief.published', { briefTitle: 'Tom & <Jerry>' }, 'en');
    expect(m.title).toBe('New brief: Tom & <Jerry>');
    expect(m.html).toContain('Tom &amp; &lt;Jerry&gt;');
  });

  it('uses the recipient language where written, English otherwise', () => {
    expect(render('member.invited', { organisationName: 'Qazaq TV' }, 'kk').title).toContain(
      'Qazaq TV ұйымына',
    );
    expect(render('brief.published', { briefTitle: 'X' }, 'ru').title).toBe('New brief: X');
  });
});
