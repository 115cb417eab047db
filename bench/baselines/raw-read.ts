// Raw baseline for the read scenarios: node:http + pg Pool + jsonwebtoken (KeyObject secret),
// nothing else. GET /api/v1/briefs for a studio or operator caller with the SAME SQL and JSON
// mapping as src/modules/briefs (briefs.service.ts list(), brief.mapper.ts, access.service.ts);
// the bench checks that both answer byte-identical bodies before it measures.
//
//   PORT=… DATABASE_URL=… JWT_SECRET=… node -r ts-node/register/transpile-only bench/baselines/raw-read.ts
import { createSecretKey } from 'node:crypto';
import { createServer, type ServerResponse } from 'node:http';
import { verify, type JwtPayload } from 'jsonwebtoken';
import { Pool } from 'pg';

const key = createSecretKey(Buffer.from(process.env.JWT_SECRET ?? '', 'utf8'));
const pool = new Pool({
  connectionString: process.env.DATABASE_URL,
  max: Number(process.env.DATABASE_POOL_SIZE ?? 10),
});

// brief.mapper.ts BRIEF_COLUMNS / BRIEF_FROM, access.service.ts briefVisibleSql('b', '$1', '$2', '$3')
const SQL_COLUMNS = `SELECT b.id, b.broadcaster_id, bo.name AS broadcaster_name,
  (CASE WHEN b.status = 'published' AND b.bids_close_at <= now() THEN 'closed' ELSE b.status END) AS status,
  b.status AS stored_status, b.title, b.synopsis, b.genre, b.format, b.episodes, b.episode_minutes, b.languages,
  b.budget_min, b.budget_max, b.currency, b.rights, b.domestic_only, b.delivery_spec, b.questions_close_at,
  b.bids_close_at, b.delivery_due_at, b.criteria, b.visibility, b.published_at, b.cancel_reason,
  (SELECT count(*)::int FROM bids x WHERE x.brief_id = b.id AND x.status IN ('submitted', 'shortlisted', 'rejected', 'awarded')) AS bid_count,
  coalesce(b.bids_close_at <= now(), false) AS bids_closed,
  b.created_at, b.updated_at, to_char(b.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS cursor_ts`;
const VISIBLE = (
  org: string,
  role: string,
  kind: string,
): string => `(b.broadcaster_id = ${org}::uuid OR ${role}::text = 'operator'
      OR (b.published_at IS NOT NULL AND (
            (b.visibility = 'open' AND (${kind}::text = 'broadcaster'
               OR EXISTS (SELECT 1 FROM organisations vo WHERE vo.id = ${org}::uuid AND vo.verified_at IS NOT NULL)))
         OR (b.visibility = 'invited' AND EXISTS (
               SELECT 1 FROM brief_invitations vi WHERE vi.brief_id = b.id AND vi.studio_id = ${org}::uuid)))))`;
// briefs.service.ts list() and brief-search.ts: no text query → one statement; a text query →
// the walk over the newest 2,000, and the GIN matches if the walk found less than a page.
const FILTERS = (statusFilter: string): string => `b.published_at IS NOT NULL AND ${VISIBLE('$1', '$2', '$3')}
   AND ${statusFilter}
   AND ($5::text IS NULL OR b.genre = $5)
   AND ($6::text IS NULL OR b.format = $6)
   AND ($8::bigint IS NULL OR b.budget_max >= $8)
   AND ($9::bigint IS NULL OR b.budget_min <= $9)
   AND ($10::timestamptz IS NULL OR b.bids_close_at < $10)
   AND ($11::timestamptz IS NULL OR (b.created_at, b.id) < ($11::timestamptz, $12::uuid))`;
const PAGE = (where: string): string => `${SQL_COLUMNS}
  FROM briefs b JOIN organisations bo ON bo.id = b.broadcaster_id
 WHERE ${where}
 ORDER BY b.created_at DESC, b.id DESC
 LIMIT $13`;
const WALK = (filters: string): string => `b.id IN (SELECT w.id FROM (
      SELECT b.id, b.created_at, b.search FROM briefs b WHERE ${filters}
       ORDER BY b.created_at DESC, b.id DESC LIMIT 2000) w
    WHERE w.search @@ to_tsquery('simple', $7)
    ORDER BY w.created_at DESC, w.id DESC LIMIT $13)`;
const MATCHES = (filters: string): string => `b.id IN (WITH m AS MATERIALIZED (
      SELECT b.id, b.created_at FROM briefs b
       WHERE b.search @@ to_tsquery('simple', $7) AND ${filters})
    SELECT m.id FROM m ORDER BY m.created_at DESC, m.id DESC LIMIT $13)`;
const STATUS = { any: '$4::text IS NULL', published: '(b.status = $4 AND b.bids_close_at > now())' };
const SQL = Object.fromEntries(
  Object.entries(STATUS).map(([k, f]) => [
    k,
    {
      list: PAGE(`${FILTERS(f)} AND $7::text IS NULL`),
      walk: PAGE(WALK(FILTERS(f))),
      matches: PAGE(MATCHES(FILTERS(f))),
    },
  ]),
) as Record<keyof typeof STATUS, { list: string; walk: string; matches: string }>;

interface Row {
  id: string;
  broadcaster_id: string;
  broadcaster_name: string;
  status: string;
  title: string;
  synopsis: string | null;
  genre: string | null;
  format: string | null;
  episodes: number | null;
  episode_minutes: number | null;
  languages: string[];
  budget_min: string | null;
  budget_max: string | null;
  currency: string;
  rights: unknown;
  domestic_only: boolean;
  delivery_spec: unknown;
  questions_close_at: Date | null;
  bids_close_at: Date | null;
  delivery_due_at: Date | null;
  criteria: unknown;
  visibility: string;
  published_at: Date | null;
  cancel_reason: string | null;
  bid_count: number;
  bids_closed: boolean;
  created_at: Date;
  updated_at: Date;
  cursor_ts: string;
}

const iso = (d: Date | null): string | null => d?.toISOString() ?? null;

const toSummary = (r: Row, claims: JwtPayload): Record<string, unknown> => ({
  id: r.id,
  status: r.status,
  broadcaster: { id: r.broadcaster_id, name: r.broadcaster_name },
  title: r.title,
  synopsis: r.synopsis,
  genre: r.genre,
  format: r.format,
  episodes: r.episodes,
  episodeMinutes: r.episode_minutes,
  languages: r.languages,
  budget:
    r.budget_min === null || r.budget_max === null
      ? null
      : {
          min: { amount: Number(r.budget_min), currency: r.currency },
          max: { amount: Number(r.budget_max), currency: r.currency },
        },
  rights: r.rights,
  domesticOnly: r.domestic_only,
  deliverySpec: r.delivery_spec,
  questionsCloseAt: iso(r.questions_close_at),
  bidsCloseAt: iso(r.bids_close_at),
  deliveryDueAt: iso(r.delivery_due_at),
  criteria: r.criteria,
  visibility: r.visibility,
  publishedAt: iso(r.published_at),
  cancelReason: r.cancel_reason,
  bidCount:
    claims.kind === 'platform' || claims.org === r.broadcaster_id || r.bids_closed ? r.bid_count : null,
  createdAt: r.created_at.toISOString(),
  updatedAt: r.updated_at.toISOString(),
});

const TS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?Z$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
  });
  res.end(text);
}

function prefixQuery(q: string): string | null {
  const words = q.toLowerCase().match(/[\p{L}\p{N}]+/gu);
  return words?.length
    ? words
        .slice(0, 10)
        .map((w) => `${w}:*`)
        .join(' & ')
    : null;
}

function listBriefs(res: ServerResponse, claims: JwtPayload, p: URLSearchParams): void {
  if (claims.kind !== 'studio' && claims.role !== 'operator') return send(res, 403, { status: 403 });
  const status = p.get('status');
  const genre = p.get('genre')?.toLowerCase() ?? null;
  const limit = Number(p.get('limit') ?? 20);
  const cursor = p.get('cursor');
  const q = p.get('q');
  if (
    (status !== null && status !== 'published') ||
    !Number.isInteger(limit) ||
    limit < 1 ||
    limit > 100 ||
    (genre !== null && genre.length > 40) ||
    (q !== null && (q.length < 1 || q.length > 200)) ||
    (cursor !== null && cursor.length > 200)
  ) {
    return send(res, 400, { status: 400 });
  }
  let after: [string, string] | null = null;
  if (cursor !== null) {
    const [ts, id, ...rest] = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
    if (rest.length || !ts || !id || !TS.test(ts) || !UUID.test(id)) return send(res, 400, { status: 400 });
    after = [ts, id];
  }
  const tsquery = q === null ? null : prefixQuery(q);
  if (q !== null && tsquery === null) return send(res, 200, { items: [], nextCursor: null });
  const params = [
    claims.org,
    claims.role,
    claims.kind,
    status,
    genre,
    null,
    tsquery,
    null,
    null,
    null,
    after?.[0] ?? null,
    after?.[1] ?? null,
    limit + 1,
  ];
  const sql = SQL[status === null ? 'any' : 'published'];
  (tsquery === null
    ? pool.query<Row>(sql.list, params)
    : pool
        .query<Row>(sql.walk, params)
        .then((walked) => (walked.rows.length > limit ? walked : pool.query<Row>(sql.matches, params)))
  )
    .then(({ rows }) => {
      const more = rows.length > limit;
      const page = more ? rows.slice(0, limit) : rows;
      const last = page[page.length - 1];
      send(res, 200, {
        items: page.map((r) => toSummary(r, claims)),
        nextCursor: more && last ? Buffer.from(`${last.cursor_ts}|${last.id}`).toString('base64url') : null,
      });
    })
    .catch((err: unknown) => {
      console.error(err);
      send(res, 500, { status: 500 });
    });
}

// Scenario 3: GET /briefs/{id} (briefs.service.ts read()) and GET /briefs/{id}/questions
// (questions.service.ts list()), for any caller who can see the brief.
const LOAD_VISIBLE = `${SQL_COLUMNS}, now() AS db_now FROM briefs b JOIN organisations bo ON bo.id = b.broadcaster_id
 WHERE b.id = $4 AND ${VISIBLE('$1', '$2', '$3')}`;

const QUESTIONS_PAGE = 20;

interface QuestionRow {
  cursor_ts: string;
  id: string;
  brief_id: string;
  studio_id: string;
  studio_name: string;
  text: string;
  asked_at: Date;
  answer_text: string | null;
  answered_at: Date | null;
}

async function readBrief(claims: JwtPayload, id: string, questions: boolean): Promise<unknown> {
  const caller = [claims.org, claims.role, claims.kind];
  const [brief] = (await pool.query<Row>(LOAD_VISIBLE, [...caller, id])).rows;
  if (!brief) return null;
  if (!questions) {
    const amendments = (
      await pool.query<{ id: string; changes: unknown; reason: string; created_at: Date }>(
        'SELECT id, changes, reason, created_at FROM brief_amendments WHERE brief_id = $1 ORDER BY created_at, id',
        [id],
      )
    ).rows;
    return {
      ...toSummary(brief, claims),
      amendments: amendments.map((a) => ({
        id: a.id,
        changes: a.changes,
        reason: a.reason,
        createdAt: a.created_at.toISOString(),
      })),
    };
  }
  const all = brief.broadcaster_id === claims.org || claims.role === 'operator';
  const rows = (
    await pool.query<QuestionRow>(
      `SELECT q.id, q.brief_id, q.studio_id, o.name AS studio_name, q.text, q.asked_at, q.answer_text, q.answered_at,
              to_char(q.asked_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS cursor_ts
         FROM questions q JOIN organisations o ON o.id = q.studio_id
        WHERE q.brief_id = $1 AND ($2::boolean OR q.answered_at IS NOT NULL OR q.studio_id = $3)
        ORDER BY q.asked_at, q.id LIMIT $4`,
      [id, all, claims.org, QUESTIONS_PAGE + 1],
    )
  ).rows;
  // The first page of { items, nextCursor } (every list is paged; the bench asks no cursor).
  const more = rows.length > QUESTIONS_PAGE;
  const page = more ? rows.slice(0, QUESTIONS_PAGE) : rows;
  const last = page[page.length - 1];
  const items = page.map((r) => {
    const mine = r.studio_id === claims.org;
    return {
      id: r.id,
      briefId: r.brief_id,
      text: r.text,
      askedAt: r.asked_at.toISOString(),
      mine,
      answer:
        r.answer_text === null ? null : { text: r.answer_text, answeredAt: r.answered_at!.toISOString() },
      ...(mine || all ? { studio: { id: r.studio_id, name: r.studio_name } } : {}),
    };
  });
  return {
    items,
    nextCursor: more && last ? Buffer.from(`${last.cursor_ts}|${last.id}`).toString('base64url') : null,
  };
}

const BRIEF_PATH = /^\/api\/v1\/briefs\/([^/]+)(\/questions)?$/;

const server = createServer((req, res) => {
  const url = new URL(req.url ?? '/', 'http://x');
  const one = BRIEF_PATH.exec(url.pathname);
  if (req.method !== 'GET' || (url.pathname !== '/api/v1/briefs' && !one))
    return send(res, 404, { status: 404 });
  const auth = req.headers.authorization;
  let claims: JwtPayload;
  try {
    if (!auth?.startsWith('Bearer ')) throw new Error('no token');
    claims = verify(auth.slice(7), key, {
      algorithms: ['HS256'],
      issuer: 'efir',
      audience: 'efir-api',
    }) as JwtPayload;
    if (claims.typ !== 'access') throw new Error('typ');
  } catch {
    return send(res, 401, { status: 401 });
  }
  if (!one) return listBriefs(res, claims, url.searchParams);
  if (!UUID.test(one[1]!)) return send(res, 400, { status: 400 });
  readBrief(claims, one[1]!.toLowerCase(), one[2] !== undefined)
    .then((body) => (body === null ? send(res, 404, { status: 404 }) : send(res, 200, body)))
    .catch((err: unknown) => {
      console.error(err);
      send(res, 500, { status: 500 });
    });
});

server.listen(Number(process.env.PORT ?? 3990), '127.0.0.1');
process.on('SIGTERM', () => {
  server.close();
  void pool.end().then(() => process.exit(0));
});
