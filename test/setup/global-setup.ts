import { loadConfig } from '../../src/config/env';
import { migrate } from '../../src/shared/database/bootstrap';
import { TEMPLATE_DB, databaseUrl, withAdmin } from './databases';

/** Migrates once into a template database; every test file clones it. */
export default async function globalSetup(): Promise<void> {
  await withAdmin(async (c) => {
    // Leftovers of interrupted runs.
    const { rows } = await c.query<{ datname: string }>(
      `SELECT datname FROM pg_database WHERE datname LIKE 'efir_test_%' AND datname <> $1`,
      [TEMPLATE_DB],
    );
    for (const r of rows) await c.query(`DROP DATABASE IF EXISTS "${r.datname}" WITH (FORCE)`);
    await c.query(`DROP DATABASE IF EXISTS ${TEMPLATE_DB} WITH (FORCE)`);
    await c.query(`CREATE DATABASE ${TEMPLATE_DB}`);
  });
  await migrate(loadConfig({ NODE_ENV: 'test', DATABASE_URL: databaseUrl(TEMPLATE_DB) }));
}
