import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { CommonErrors } from '../errors/common.errors';
import { DomainError } from '../errors/domain-error';

export class PageQuery {
  @ApiPropertyOptional({ minimum: 1, maximum: 100, default: 20 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  limit: number = 20;

  @ApiPropertyOptional({ description: 'Opaque cursor from the previous page' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  cursor?: string;
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export interface Keyset {
  /** created_at as Postgres text with microseconds (a JS Date would drop them: perf notes P5). */
  ts: string;
  id: string;
}

const TS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?Z$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const SEQ = /^\d{1,19}$/;

/** The shape alone lets through 2024-13-45T99:99:99Z, which PostgreSQL would refuse later. */
function isRealTime(ts: string): boolean {
  const seconds = ts.slice(0, 19);
  const ms = Date.parse(`${seconds}Z`);
  return !Number.isNaN(ms) && new Date(ms).toISOString().slice(0, 19) === seconds;
}

/** SQL fragment selecting a row's keyset position as text with full precision. */
export const cursorTsSql = (column: string): string =>
  `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

export function encodeCursor(k: Keyset): string {
  return Buffer.from(`${k.ts}|${k.id}`).toString('base64url');
}

export function decodeCursor(cursor: string | undefined): Keyset | null {
  if (cursor === undefined) return null;
  const [ts, id, ...rest] = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
  if (rest.length || !ts || !id || !TS.test(ts) || !isRealTime(ts) || !(UUID.test(id) || SEQ.test(id))) {
    throw new DomainError(CommonErrors.INVALID_CURSOR);
  }
  return { ts, id };
}

/**
 * Rows were fetched with `LIMIT limit + 1` ordered by (created_at, id) DESC and carry
 * `cursor_ts`; this trims the probe row and builds the next cursor.
 */
export function toPage<R extends { id: string; cursor_ts: string }, T>(
  rows: R[],
  limit: number,
  map: (row: R) => T,
): Page<T> {
  const more = rows.length > limit;
  const page = more ? rows.slice(0, limit) : rows;
  const last = page[page.length - 1];
  return {
    items: page.map(map),
    nextCursor: more && last ? encodeCursor({ ts: last.cursor_ts, id: last.id }) : null,
  };
}

/**
 * A cursor for a list ordered by other keys than (created_at, id): a milestone's sequence, a
 * deliverable's (kind, version), a ranking's sort key. It holds the last row's key parts; the
 * decoder checks each part against its pattern (anything else is 400 INVALID_CURSOR).
 */
export function encodeKeyCursor(parts: readonly (string | number)[]): string {
  return Buffer.from(parts.join('|')).toString('base64url');
}

/** What a key-cursor part must pass: a RegExp, or any `{ test }` (e.g. KEY_PATTERNS.ts). */
export interface KeyPattern {
  test(part: string): boolean;
}

export function decodeKeyCursor(
  cursor: string | undefined,
  patterns: readonly KeyPattern[],
): string[] | null {
  if (cursor === undefined) return null;
  const parts = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
  if (parts.length !== patterns.length || parts.some((p, i) => !patterns[i]!.test(p))) {
    throw new DomainError(CommonErrors.INVALID_CURSOR);
  }
  return parts;
}

/** Key-cursor patterns shared by the lists that use them. */
export const KEY_PATTERNS = {
  int: SEQ,
  uuid: UUID,
  /** A cursorTsSql time (a real one). */
  ts: { test: (part: string) => TS.test(part) && isRealTime(part) },
  /** A cursorTsSql time, or empty for a NULL one. */
  tsOrNull: { test: (part: string) => part === '' || (TS.test(part) && isRealTime(part)) },
} as const;

/** Like toPage, for rows fetched with `LIMIT limit + 1` in the order `key` names. */
export function toKeyPage<R, T>(
  rows: R[],
  limit: number,
  map: (row: R) => T,
  key: (row: R) => readonly (string | number)[],
): Page<T> {
  const more = rows.length > limit;
  const page = more ? rows.slice(0, limit) : rows;
  const last = page[page.length - 1];
  return { items: page.map(map), nextCursor: more && last ? encodeKeyCursor(key(last)) : null };
}
