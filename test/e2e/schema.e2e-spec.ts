import { getDataSourceToken } from '@nestjs/typeorm';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../../src/shared/database/data-source';
import { databaseUrl, testDatabaseName, withAdmin } from '../setup/databases';
import { startApp, type TestApp } from '../utils/app';

// TypeORM's bookkeeping, created by the migration runner itself, not by a migration.
const TYPEORM_OWN = `'migrations', 'migrations_id_seq', 'typeorm_metadata'`;

/** What the migrations leave behind in the public schema, besides TypeORM's own bookkeeping. */
async function applicationObjects(url: string): Promise<string[]> {
  const c = new Client({ connectionString: url });
  await c.connect();
  try {
    const { rows } = await c.query<{ object: string }>(
      `SELECT 'relation ' || c.relname AS object
         FROM pg_class c
         JOIN pg_namespace n ON n.oid = c.relnamespace
         LEFT JOIN pg_index i ON i.indexrelid = c.oid
         LEFT JOIN pg_class indexed ON indexed.oid = i.indrelid
        WHERE n.nspname = 'public'
          AND c.relname NOT IN (${TYPEORM_OWN})
          AND (indexed.relname IS NULL OR indexed.relname NOT IN (${TYPEORM_OWN}))
       UNION ALL
       SELECT 'type ' || t.typname
         FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
        WHERE n.nspname = 'public' AND t.typtype IN ('e', 'd', 'c')
          AND NOT EXISTS (SELECT 1 FROM pg_class r WHERE r.reltype = t.oid)
       UNION ALL
       SELECT 'function ' || p.proname
         FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
        WHERE n.nspname = 'public'
          AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = p.oid AND d.deptype = 'e')
       ORDER BY 1`,
    );
    return rows.map((r) => r.object);
  } finally {
    await c.end();
  }
}

describe('Database schema', () => {
  describe('entities and migrations', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await startApp({ RUN_WORKER: 'false' });
    });
    afterAll(() => t.close());

    it('do not drift: the migrated schema is what the entities describe', async () => {
      const ds = t.app.get<DataSource>(getDataSourceToken());
      expect(ds.isInitialized).toBe(true);
      // TypeORM finds the expression of a generated column in typeorm_metadata by database name;
      // this database is a clone of the migrated template, so its rows still name the template.
      await t.db.query(`UPDATE typeorm_metadata SET database = current_database()`);
      // What `migration:generate --check` computes: the SQL needed to reach the entities.
      const { upQueries } = await ds.driver.createSchemaBuilder().log();
      expect(upQueries.map((q) => q.query)).toEqual([]);
    });
  });

  describe('migrations', () => {
    const name = testDatabaseName('f');
    const url = databaseUrl(name);
    let ds: DataSource;

    beforeAll(async () => {
      await withAdmin((c) => c.query(`CREATE DATABASE ${name}`));
      ds = new DataSource({ ...dataSourceOptions({ databaseUrl: url, databasePoolSize: 2 }) });
      await ds.initialize();
    });
    afterAll(async () => {
      if (ds?.isInitialized) await ds.destroy();
      await withAdmin((c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
    });

    it('are reversible: all of them undo to an empty schema and apply again', async () => {
      const applied = await ds.runMigrations({ transaction: 'each' });
      expect(applied.length).toBeGreaterThan(0);
      const objects = await applicationObjects(url);
      expect(objects).toEqual(expect.arrayContaining(['relation users', 'relation organisations']));

      const executed = async (): Promise<number> =>
        (await ds.query<{ n: number }[]>('SELECT count(*)::int AS n FROM migrations'))[0]?.n ?? -1;
      // Bounded: one undo per applied migration, each removing exactly one record.
      for (let left = applied.length; left > 0; left--) {
        expect(await executed()).toBe(left);
        await ds.undoLastMigration({ transaction: 'each' });
      }
      expect(await executed()).toBe(0);
      expect(await applicationObjects(url)).toEqual([]);

      const again = await ds.runMigrations({ transaction: 'each' });
      expect(again.map((m) => m.name)).toEqual(applied.map((m) => m.name));
      expect(await applicationObjects(url)).toEqual(objects);
      expect(await ds.showMigrations()).toBe(false);
      // Migrated from scratch, the schema is exactly what the entities describe.
      expect((await ds.driver.createSchemaBuilder().log()).upQueries.map((q) => q.query)).toEqual([]);
    });
  });
});
