import type { EntityManager } from 'typeorm';
import { DomainError } from '../errors/domain-error';
import type { Lifecycle } from '../lifecycle';

export interface TransitionOptions {
  /** Further `SET` assignments (`paid_at = now()`); parameters from $4 on, given in `params`. */
  set?: string;
  params?: unknown[];
  /** Columns to return (default `id, status`). */
  returning?: string;
}

/**
 * The one way an owner changes a status: `UPDATE … WHERE status =
 * ANY(<the statuses that may move to it>) RETURNING`, so the table of allowed moves is enforced
 * by the statement itself, also against a concurrent writer. Answers the updated row, or
 * undefined when the row does not exist or its status may not move to `to` (the caller knows
 * which answer that deserves; `transitionOrThrow` throws the lifecycle's conflict error).
 */
export async function transition<S extends string, R = { id: string; status: S }>(
  em: EntityManager,
  table: string,
  lifecycle: Lifecycle<S>,
  id: string,
  to: S,
  options: TransitionOptions = {},
): Promise<R | undefined> {
  const set = options.set ? `, ${options.set}` : '';
  // TypeORM answers an UPDATE as [rows, affected].
  const [rows] = await em.query<[R[], number]>(
    `UPDATE ${table} SET status = $2${set} WHERE id = $1 AND status = ANY($3::text[])
     RETURNING ${options.returning ?? 'id, status'}`,
    [id, to, lifecycle.from(to), ...(options.params ?? [])],
  );
  return rows[0];
}

/** `transition`, throwing the lifecycle's state-conflict error when the move is not allowed. */
export async function transitionOrThrow<S extends string, R = { id: string; status: S }>(
  em: EntityManager,
  table: string,
  lifecycle: Lifecycle<S>,
  id: string,
  to: S,
  options: TransitionOptions = {},
): Promise<R> {
  const row = await transition<S, R>(em, table, lifecycle, id, to, options);
  if (!row) throw new DomainError(lifecycle.error, `The ${lifecycle.noun} cannot become ${to} now`);
  return row;
}
