import 'reflect-metadata';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import type { PostgresDataSourceOptions } from 'typeorm/driver/postgres/PostgresDataSourceOptions';
import { loadConfig, type AppConfig } from '../../config/env';

// One set of options for the app, the worker, the tests and the TypeORM CLI.
export function dataSourceOptions(
  config: Pick<AppConfig, 'databaseUrl' | 'databasePoolSize'>,
): PostgresDataSourceOptions {
  return {
    type: 'postgres',
    url: config.databaseUrl,
    entities: [join(__dirname, '../../**/*.entity.{ts,js}')],
    migrations: [join(__dirname, '../../../migrations/*.{ts,js}')],
    migrationsTableName: 'migrations',
    migrationsTransactionMode: 'each',
    // gen_random_uuid() is built into PostgreSQL 13+: no uuid-ossp extension needed.
    uuidExtension: 'pgcrypto',
    synchronize: false,
    migrationsRun: false,
    poolSize: config.databasePoolSize,
    extra: { application_name: 'efir' },
  };
}

// The TypeORM CLI (npm run migration:*) loads this default export.
export default new DataSource(dataSourceOptions(loadConfig()));
