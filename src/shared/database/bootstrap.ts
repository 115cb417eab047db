import { Client } from 'pg';
import { DataSource } from 'typeorm';
import type { AppConfig } from '../../config/env';
import { dataSourceOptions } from './data-source';

const MIGRATION_LOCK = 7262000;

/** Creates the database named by DATABASE_URL when it is missing. */
export async function ensureDatabase(databaseUrl: string): Promise<void> {
  const url = new URL(databaseUrl);
  const name = decodeURIComponent(url.pathname.replace(/^\//, ''));
  if (!name) throw new Error('DATABASE_URL names no database');
  url.pathname = '/postgres';
  const client = new Client({ connectionString: url.toString() });
  await client.connect();
  try {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (!rowCount) {
      await client.query(`CREATE DATABASE "${name.replace(/"/g, '""')}"`).catch((err: { code?: string }) => {
        if (err.code !== '42P04') throw err; // created meanwhile by another process
      });
    }
  } finally {
    await client.end();
  }
}

/**
 * Applies pending migrations. API and worker may start together, so a session advisory lock
 * lets exactly one of them migrate while the other waits.
 */
export async function migrate(config: AppConfig): Promise<string[]> {
  const lock = new Client({ connectionString: config.databaseUrl });
  await lock.connect();
  const ds = new DataSource({ ...dataSourceOptions(config), poolSize: 2 });
  try {
    await lock.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    await ds.initialize();
    const done = await ds.runMigrations({ transaction: 'each' });
    return done.map((m) => m.name);
  } finally {
    if (ds.isInitialized) await ds.destroy();
    await lock.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => undefined);
    await lock.end();
  }
}
