import { loadConfig } from '../../src/config/env';
import { migrate } from '../../src/shared/database/bootstrap';
import { databaseUrl, testDatabaseName, withAdmin } from './databases';

const STALE_AFTER_SECONDS = 3 * 3600;

/** Migrates once into a template database; every test file clones it. */
export default async function globalSetup(): Promise<void> {
  const template = testDatabaseName('t');
  await withAdmin(async (c) => {
    // Leftovers of interrupted runs, old enough not to belong to a run in progress.
    const { rows } = await c.query<{ datname: string }>(
      `SELECT datname FROM pg_database WHERE datname LIKE 'efir_test_%'`,
    );
    const now = Date.now() / 1000;
    for (const { datname } of rows) {
      const born = Number(datname.split('_')[2]);
      if (Number.isFinite(born) && now - born > STALE_AFTER_SECONDS) {
        await c.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
      }
    }
    await c.query(`CREATE DATABASE ${template}`);
  });
  await migrate(loadConfig({ NODE_ENV: 'test', DATABASE_URL: databaseUrl(template) }));
  // Inherited by the test workers, which start after this.
  process.env.EFIR_TEST_TEMPLATE = template;
}
