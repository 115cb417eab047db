import { loadConfig } from '../../config/env';
import { IdeaHmac, normaliseEmail } from './idea-hmac';

describe('normaliseEmail', () => {
  it.each([
    ['  Aigerim.Nurlanovna@Gmail.com ', 'aigerimnurlanovna@gmail.com'],
    ['aigerim.nurlanovna+votes@gmail.com', 'aigerimnurlanovna@gmail.com'],
    ['a.i.g.e.r.i.m.nurlanovna@googlemail.com', 'aigerimnurlanovna@gmail.com'],
    ['Viewer+efir@Mail.KZ', 'viewer@mail.kz'],
    ['first.last@mail.kz', 'first.last@mail.kz'],
  ])('%s → %s', (input, expected) => {
    expect(normaliseEmail(input)).toBe(expected);
  });
});

describe('IdeaHmac', () => {
  const hmac = new IdeaHmac(loadConfig({ NODE_ENV: 'test', IDEA_HMAC_KEY: 'k'.repeat(32) }));

  it('gives every spelling of one mailbox one value, and different purposes different values', () => {
    expect(hmac.email('A.B+x@gmail.com')).toBe(hmac.email('ab@GMAIL.com'));
    expect(hmac.email('ab@gmail.com')).not.toBe(hmac.email('ac@gmail.com'));
    expect(hmac.of('ip', 'ab@gmail.com')).not.toBe(hmac.of('email', 'ab@gmail.com'));
    expect(hmac.ip('10.0.0.1')).toMatch(/^[0-9a-f]{64}$/);
  });
});
