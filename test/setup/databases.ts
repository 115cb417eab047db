import { randomBytes } from 'node:crypto';
import { Client } from 'pg';

export const ADMIN_URL = process.env.TEST_DATABASE_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/** Test databases are named efir_test_<unix seconds>_<random>, so stale ones can be recognised. */
export function testDatabaseName(kind: 't' | 'f'): string {
  return `efir_test_${Math.floor(Date.now() / 1000)}_${kind}${randomBytes(5).toString('hex')}`;
}

/** The template migrated by this run's global setup (several runs may share the server). */
export function templateDatabase(): string {
  const name = process.env.EFIR_TEST_TEMPLATE;
  if (!name) throw new Error('EFIR_TEST_TEMPLATE is not set: run the e2e tests through jest (global setup)');
  return name;
}

export function databaseUrl(name: string): string {
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  return url.toString();
}

export async function withAdmin<T>(fn: (c: Client) => Promise<T>): Promise<T> {
  const c = new Client({ connectionString: ADMIN_URL });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}
