import { API, startApp, type TestApp } from '../utils/app';
import { uniqueEmail, validBin } from '../factories';
import { expectProblem } from '../utils/expect';

// A file of its own: nestjs-pino keeps one root logger per process (per Jest module registry), so
// the first app of a file decides where every later app of that file logs.
describe('What reaches the log (item 4)', () => {
  let t: TestApp;
  const lines: string[] = [];

  beforeAll(async () => {
    t = await startApp(
      { LOG_LEVEL: 'info', RUN_WORKER: 'false' },
      { logDestination: { write: (l) => lines.push(l) } },
    );
    // Any database error that no constraint maps: the insert of the user fails, with the e-mail and
    // the password hash among the statement's parameters.
    await t.db.query(`CREATE FUNCTION test_refuse_users() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN RAISE EXCEPTION 'refused for a test' USING ERRCODE = 'XX000'; END $$`);
    await t.db.query(
      'CREATE TRIGGER test_refuse_users BEFORE INSERT ON users FOR EACH ROW EXECUTE FUNCTION test_refuse_users()',
    );
  });
  afterAll(() => t.close());

  it('logs a failed statement as errorId, code and message, without its SQL or parameters', async () => {
    const email = uniqueEmail('logged');
    const res = await t
      .http()
      .post(`${API}/auth/register?access_token=token-in-the-query-string`)
      .send({
        organisation: { name: 'Log Studio', kind: 'studio', country: 'KZ', bin: validBin() },
        user: { email, password: 'correct-horse-battery', fullName: 'Log Person' },
      });
    expectProblem(res, 500, 'INTERNAL');
    const errorId = res.body.errorId as string;
    const log = lines.join('');
    const entry = lines
      .map((l) => JSON.parse(l) as Record<string, unknown>)
      .find((l) => l.errorId === errorId);
    expect(entry).toMatchObject({
      errorId,
      error: { type: 'QueryFailedError', code: 'XX000', message: 'refused for a test' },
    });
    expect(['code', 'constraint', 'message', 'type']).toEqual(
      expect.arrayContaining(Object.keys(entry!.error as object)),
    );
    for (const secret of [
      email,
      '$argon2',
      'INSERT INTO',
      'token-in-the-query-string',
      'correct-horse-battery',
    ]) {
      expect(log).not.toContain(secret);
    }
    // the request itself is logged, by path
    expect(log).toContain(`"url":"${API}/auth/register"`);
  });
});
