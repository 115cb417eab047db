import passport, { type Strategy } from 'passport';

export type Passport = InstanceType<typeof passport.Authenticator>;

export const PASSPORT = Symbol('PASSPORT');

// Each application gets its own passport Authenticator holding its own strategy instances.
// @nestjs/passport's AuthGuard looks strategies up in passport's process-wide singleton, where
// the last application started wins: with two apps in one process (tests, or an API and a
// worker context), a login would be checked against the other app's database.
export function createAuthenticator(strategies: Record<string, unknown>): Passport {
  const authenticator = new passport.Authenticator();
  for (const [name, strategy] of Object.entries(strategies)) authenticator.use(name, strategy as Strategy);
  return authenticator;
}

/** Runs a strategy on a request; resolves the user, or false when it does not authenticate. */
export function authenticate(
  authenticator: Passport,
  name: string,
  req: unknown,
  res: unknown,
): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const middleware = authenticator.authenticate(name, { session: false }, (err: unknown, user: unknown) =>
      err ? reject(asError(err)) : resolve(user),
    ) as (req: unknown, res: unknown, next: (err?: unknown) => void) => void;
    middleware(req, res, (err?: unknown) => (err ? reject(asError(err)) : resolve(false)));
  });
}

const asError = (err: unknown): Error => (err instanceof Error ? err : new Error('authentication failed'));
