import { isDisposableEmail } from './disposable-email';

describe('isDisposableEmail', () => {
  it.each([
    ['viewer@mailinator.com', true],
    ['Viewer@MAILINATOR.com', true],
    ['viewer@eu.mailinator.com', true],
    ['viewer@10minutemail.com', true],
    ['viewer@mail.kz', false],
    ['viewer@gmail.com', false],
    ['айгерим@пример.қаз', false],
  ])('%s → %s', (address, expected) => {
    expect(isDisposableEmail(address)).toBe(expected);
  });
});
