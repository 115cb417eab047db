import { bearer, registerOrganisation } from '../factories';
import { startApp, type TestApp } from '../utils/app';

describe('smoke', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startApp();
  });
  afterAll(() => t.close());

  it('registers and reads /me', async () => {
    const admin = await registerOrganisation(t, { kind: 'studio' });
    const me = await t
      .http()
      .get('/api/v1/me')
      .set(...bearer(admin));
    expect(me.status).toBe(200);
    expect(me.body.role).toBe('admin');
  });
});
