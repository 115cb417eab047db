import { isDisposableEmail } from './disposable-email';

describe('isDisposableEmail', () => {
  it.each(['someone@mailinator.com', 'Someone@MAILINATOR.COM', 'x@yopmail.com', 'x@inbox.mailinator.com'])(
    'refuses %s (a listed domain or a subdomain of one)',
    (email) => expect(isDisposableEmail(email)).toBe(true),
  );

  it.each(['aigerim@mail.kz', 'someone@gmail.com', 'a@efir.kz', 'дана@пример.қаз'])('accepts %s', (email) =>
    expect(isDisposableEmail(email)).toBe(false),
  );
});
