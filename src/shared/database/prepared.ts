import { createHash } from 'node:crypto';
import type { PoolClient, QueryResultRow } from 'pg';
import type { EntityManager } from 'typeorm';

const names = new Map<string, string>();

/**
 * Runs a statement inside the caller's transaction as a node-postgres named prepared statement,
 * so each pooled connection parses and plans it once instead of on every call. For the few
 * statements that run thousands of times a second (the outbox fan-out ones): there, parse and
 * plan were 70% of the database's time per event (bench/README.md, "Outbox pipeline").
 * `em.query` cannot name a statement, hence the driver's client. Outside a transaction it falls
 * back to `em.query`.
 */
export async function preparedQuery<T extends QueryResultRow>(
  em: EntityManager,
  sql: string,
  params: unknown[],
): Promise<T[]> {
  const runner = em.queryRunner;
  if (!runner?.isTransactionActive) return em.query<T[]>(sql, params);
  let name = names.get(sql);
  if (!name) {
    name = `efir_${createHash('sha256').update(sql).digest('hex').slice(0, 24)}`;
    names.set(sql, name);
  }
  const client = (await runner.connect()) as PoolClient;
  return (await client.query<T>({ name, text: sql, values: params })).rows;
}
