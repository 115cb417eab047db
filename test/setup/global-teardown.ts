import { withAdmin } from './databases';

export default async function globalTeardown(): Promise<void> {
  const template = process.env.EFIR_TEST_TEMPLATE;
  if (template) await withAdmin((c) => c.query(`DROP DATABASE IF EXISTS ${template} WITH (FORCE)`));
}
