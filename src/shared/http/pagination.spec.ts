import { randomUUID } from 'node:crypto';
import { DomainError } from '../errors/domain-error';
import {
  decodeCursor,
  decodeKeyCursor,
  encodeCursor,
  encodeKeyCursor,
  KEY_PATTERNS,
  toKeyPage,
  toPage,
} from './pagination';

const b64 = (s: string): string => Buffer.from(s).toString('base64url');

function expectInvalidCursor(cursor: string): void {
  let caught: unknown;
  try {
    decodeCursor(cursor);
  } catch (err) {
    caught = err;
  }
  expect(caught).toBeInstanceOf(DomainError);
  expect((caught as DomainError).def.code).toBe('INVALID_CURSOR');
  expect((caught as DomainError).def.status).toBe(400);
}

describe('pagination', () => {
  describe('encodeCursor / decodeCursor', () => {
    it('round-trips a keyset and keeps the microseconds', () => {
      const k = { ts: '2031-05-06T07:08:09.123456Z', id: randomUUID() };
      const cursor = encodeCursor(k);
      expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
      expect(decodeCursor(cursor)).toEqual(k);
    });

    it('round-trips a sequence id', () => {
      const k = { ts: '2031-05-06T07:08:09.000001Z', id: '1234567890' };
      expect(decodeCursor(encodeCursor(k))).toEqual(k);
    });

    it('returns null when there is no cursor', () => {
      expect(decodeCursor(undefined)).toBeNull();
    });

    it('rejects garbage', () => {
      expectInvalidCursor('!!!not-a-cursor!!!');
      expectInvalidCursor('');
      expectInvalidCursor(b64('just-text'));
    });

    it('rejects a timestamp in another format', () => {
      const id = randomUUID();
      expectInvalidCursor(b64(`2031-05-06 07:08:09|${id}`));
      expectInvalidCursor(b64(`2031-05-06T07:08:09.1234567Z|${id}`));
      expectInvalidCursor(b64(`1700000000|${id}`));
      expectInvalidCursor(b64(`2031-05-06T07:08:09+05:00|${id}`));
    });

    it('rejects an id that is neither a uuid nor a sequence number', () => {
      expectInvalidCursor(b64('2031-05-06T07:08:09.123456Z|not-a-uuid'));
      expectInvalidCursor(b64("2031-05-06T07:08:09.123456Z|1' OR '1'='1"));
    });

    it('rejects extra parts', () => {
      expectInvalidCursor(b64(`2031-05-06T07:08:09.123456Z|${randomUUID()}|extra`));
    });
  });

  describe('toPage', () => {
    const rows = (n: number) =>
      Array.from({ length: n }, (_, i) => ({
        id: randomUUID(),
        cursor_ts: `2031-05-06T07:08:0${9 - i}.00000${i}Z`,
        name: `row ${i}`,
      }));

    it('trims the probe row and points the next cursor at the last row kept', () => {
      const fetched = rows(4);
      const page = toPage(fetched, 3, (r) => r.name);
      expect(page.items).toEqual(['row 0', 'row 1', 'row 2']);
      expect(page.nextCursor).not.toBeNull();
      const last = fetched[2] as (typeof fetched)[number];
      expect(decodeCursor(page.nextCursor as string)).toEqual({ ts: last.cursor_ts, id: last.id });
    });

    it('has no next cursor when the page holds every remaining row', () => {
      const page = toPage(rows(3), 3, (r) => r.name);
      expect(page.items).toHaveLength(3);
      expect(page.nextCursor).toBeNull();
    });

    it('has no next cursor for an empty page', () => {
      expect(toPage([], 20, (r: { id: string; cursor_ts: string }) => r.id)).toEqual({
        items: [],
        nextCursor: null,
      });
    });
  });
});

describe('key cursors (lists ordered by other keys than created_at)', () => {
  const b64 = (s: string): string => Buffer.from(s).toString('base64url');
  const expectInvalid = (cursor: string, patterns: Parameters<typeof decodeKeyCursor>[1]): void => {
    expect(() => decodeKeyCursor(cursor, patterns)).toThrow(DomainError);
  };

  it('round-trips the parts and checks each against its pattern', () => {
    const id = randomUUID();
    const cursor = encodeKeyCursor(['', 7, id]);
    expect(decodeKeyCursor(cursor, [KEY_PATTERNS.tsOrNull, KEY_PATTERNS.int, KEY_PATTERNS.uuid])).toEqual([
      '',
      '7',
      id,
    ]);
    expect(decodeKeyCursor(undefined, [KEY_PATTERNS.int])).toBeNull();
  });

  it('refuses a wrong number of parts, a part that fails its pattern, and unreal times', () => {
    expectInvalid(b64('1|2'), [KEY_PATTERNS.int]);
    expectInvalid(b64('x'), [KEY_PATTERNS.int]);
    expectInvalid(b64("1' OR '1'='1"), [KEY_PATTERNS.int]);
    expectInvalid(b64(`2031-02-30T00:00:00.000000Z|${randomUUID()}`), [KEY_PATTERNS.ts, KEY_PATTERNS.uuid]);
    expectInvalid(b64(`|${randomUUID()}`), [KEY_PATTERNS.ts, KEY_PATTERNS.uuid]);
  });

  it('toKeyPage trims the probe row and keys the next cursor on the last row kept', () => {
    const rows = [{ n: 1 }, { n: 2 }, { n: 3 }];
    const page = toKeyPage(
      rows,
      2,
      (r) => r.n,
      (r) => [r.n],
    );
    expect(page.items).toEqual([1, 2]);
    expect(decodeKeyCursor(page.nextCursor as string, [KEY_PATTERNS.int])).toEqual(['2']);
    expect(
      toKeyPage(
        rows,
        3,
        (r) => r.n,
        (r) => [r.n],
      ).nextCursor,
    ).toBeNull();
  });
});
