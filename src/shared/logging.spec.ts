import { QueryFailedError } from 'typeorm';
import { loggableError, loggableUrl } from './logging';

describe('loggableUrl', () => {
  it('keeps the path and drops the query string', () => {
    expect(loggableUrl('/api/v1/briefs?token=secret&q=x')).toBe('/api/v1/briefs');
    expect(loggableUrl('/api/v1/briefs')).toBe('/api/v1/briefs');
    expect(loggableUrl(undefined)).toBeUndefined();
  });
});

describe('loggableError', () => {
  const driverError = Object.assign(
    new Error('duplicate key value violates unique constraint "users_email_key"'),
    {
      code: '23505',
      constraint: 'users_email_key',
      detail: 'Key (email)=(victim@example.com) already exists.',
    },
  );
  const failed = new QueryFailedError(
    'INSERT INTO users (email, password_hash) VALUES ($1, $2)',
    ['victim@example.com', '$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA'],
    driverError,
  );

  it('keeps SQLSTATE, constraint and message of a database error, and nothing else', () => {
    const logged = loggableError(failed);
    expect(logged).toEqual({
      type: 'QueryFailedError',
      code: '23505',
      constraint: 'users_email_key',
      message: driverError.message,
    });
    expect(JSON.stringify(logged)).not.toMatch(/victim|argon2|INSERT/);
  });

  it('does the same with a database error pino has already made a plain object', () => {
    const plain = {
      type: 'QueryFailedError',
      ...(JSON.parse(JSON.stringify(failed)) as Record<string, unknown>),
      message: failed.message,
    };
    expect(JSON.stringify(loggableError(plain))).not.toMatch(/victim|argon2|INSERT/);
    expect(loggableError(plain)).toMatchObject({ code: '23505', constraint: 'users_email_key' });
  });

  it('drops query, parameters and detail from any other object', () => {
    expect(
      loggableError({ message: 'm', query: 'SELECT 1', parameters: ['x'], detail: 'd', code: 'E' }),
    ).toEqual({
      message: 'm',
      code: 'E',
    });
  });

  it('keeps type, message, code and stack of other errors', () => {
    const err = Object.assign(new TypeError('bad'), { code: 'E_BAD' });
    expect(loggableError(err)).toEqual({
      type: 'TypeError',
      message: 'bad',
      code: 'E_BAD',
      stack: err.stack,
    });
  });
});
