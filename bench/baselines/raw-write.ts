// Raw baseline for the bid-rush scenarios (4 and 5): node:http + pg Pool + jsonwebtoken
// (KeyObject secret), nothing else. POST /api/v1/briefs/{id}/bids with `submit: true` runs the
// SAME statements, in the same order and transaction, as src/modules/bids/bids.service.ts
// create() (loadVisible, the shared brief lock, the open check after it, the studio check, the
// insert, the seal, the version row, the re-read with the brief title, the outbox event, and
// audit_append last) and answers the same JSON shape. The body is validated by hand (the app uses
// class-validator). One difference, on purpose: its outbox rows are parked (available_at =
// 'infinity'), so the app's in-process relay does not spend the shared CPU on the baseline's
// events while the baseline is being measured.
//
//   PORT=… DATABASE_URL=… JWT_SECRET=… node -r ts-node/register/transpile-only bench/baselines/raw-write.ts
import { createHash, createSecretKey, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { verify, type JwtPayload } from 'jsonwebtoken';
import { Pool, type PoolClient } from 'pg';

const key = createSecretKey(Buffer.from(process.env.JWT_SECRET ?? '', 'utf8'));
const pool = new Pool({
  connectionString: process.env.DATABASE_URL,
  max: Number(process.env.DATABASE_POOL_SIZE ?? 10),
});

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const PATH = /^\/api\/v1\/briefs\/([^/]+)\/bids$/;

// brief.mapper.ts BRIEF_COLUMNS / BRIEF_FROM and access.service.ts briefVisibleSql('b', '$1', '$2', '$3')
const LOAD_VISIBLE = `SELECT b.id, b.broadcaster_id, bo.name AS broadcaster_name,
  (CASE WHEN b.status = 'published' AND b.bids_close_at <= now() THEN 'closed' ELSE b.status END) AS status,
  b.status AS stored_status, b.title, b.synopsis, b.genre, b.format, b.episodes, b.episode_minutes, b.languages,
  b.budget_min, b.budget_max, b.currency, b.rights, b.domestic_only, b.delivery_spec, b.questions_close_at,
  b.bids_close_at, b.delivery_due_at, b.criteria, b.visibility, b.published_at, b.cancel_reason,
  (SELECT count(*)::int FROM bids x WHERE x.brief_id = b.id AND x.status IN ('submitted', 'shortlisted', 'rejected', 'awarded')) AS bid_count,
  b.created_at, b.updated_at, to_char(b.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS cursor_ts, now() AS db_now
  FROM briefs b JOIN organisations bo ON bo.id = b.broadcaster_id
 WHERE b.id = $4 AND (b.broadcaster_id = $1::uuid OR $2::text = 'operator'
      OR (b.published_at IS NOT NULL AND (
            (b.visibility = 'open' AND ($3::text = 'broadcaster'
               OR EXISTS (SELECT 1 FROM organisations vo WHERE vo.id = $1::uuid AND vo.verified_at IS NOT NULL)))
         OR (b.visibility = 'invited' AND EXISTS (
               SELECT 1 FROM brief_invitations vi WHERE vi.brief_id = b.id AND vi.studio_id = $1::uuid)))))`;

// bid.mapper.ts BID_COLUMNS / BID_FROM, and the brief's title (bids.service.ts afterChange())
const BID_SELECT = `SELECT x.id, x.brief_id, x.studio_id, so.name AS studio_name, x.status, x.version, x.price_amount,
  x.currency, x.content, x.over_budget, x.commitment, x.nonce, x.submitted_at, x.decision_note, x.created_at, x.updated_at,
  (SELECT title FROM briefs WHERE id = x.brief_id) AS brief_title
  FROM bids x JOIN organisations so ON so.id = x.studio_id WHERE x.id = $1`;

interface Money {
  amount: number;
  currency: string;
}
interface Content {
  price: Money;
  breakdown: { label: string; amount: Money }[];
  milestones: { title: string; share: number; dueAt: string }[];
  creativeApproach: string;
  team: string;
  productionSchedule?: string;
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
  ) {
    super(code);
  }
}

const isMoney = (m: unknown): m is Money =>
  typeof m === 'object' &&
  m !== null &&
  Number.isSafeInteger((m as Money).amount) &&
  (m as Money).amount >= 0 &&
  typeof (m as Money).currency === 'string' &&
  /^[A-Z]{3}$/.test((m as Money).currency);
const isText = (s: unknown, max: number): s is string =>
  typeof s === 'string' && s.length > 0 && s.length <= max;

/** The checks of CreateBidDto, by hand, and contentOf(). */
function contentOf(b: Record<string, unknown>): Content {
  const breakdown = b.breakdown as Content['breakdown'];
  const milestones = b.milestones as Content['milestones'];
  if (
    !isMoney(b.price) ||
    !Array.isArray(breakdown) ||
    breakdown.length < 1 ||
    breakdown.length > 50 ||
    !breakdown.every((l) => isText(l?.label, 200) && isMoney(l.amount)) ||
    !Array.isArray(milestones) ||
    milestones.length < 1 ||
    milestones.length > 20 ||
    !milestones.every(
      (m) =>
        isText(m?.title, 200) &&
        Number.isInteger(m.share) &&
        m.share >= 1 &&
        m.share <= 100 &&
        !Number.isNaN(Date.parse(m.dueAt)),
    ) ||
    !isText(b.creativeApproach, 20_000) ||
    !isText(b.team, 20_000) ||
    (b.submit !== undefined && typeof b.submit !== 'boolean')
  ) {
    throw new HttpError(400, 'VALIDATION_FAILED');
  }
  const content: Content = {
    price: { amount: b.price.amount, currency: b.price.currency },
    breakdown: breakdown.map((l) => ({
      label: l.label,
      amount: { amount: l.amount.amount, currency: l.amount.currency },
    })),
    milestones: milestones.map((m) => ({
      title: m.title,
      share: m.share,
      dueAt: new Date(m.dueAt).toISOString(),
    })),
    creativeApproach: b.creativeApproach,
    team: b.team,
  };
  if (typeof b.productionSchedule === 'string') content.productionSchedule = b.productionSchedule;
  return content;
}

/** bids.service.ts assertContent(). */
function assertContent(c: Content, currency: string): void {
  if ([c.price, ...c.breakdown.map((l) => l.amount)].some((m) => m.currency !== currency))
    throw new HttpError(422, 'CURRENCY_MISMATCH');
  if (c.breakdown.reduce((s, l) => s + BigInt(l.amount.amount), 0n) !== BigInt(c.price.amount))
    throw new HttpError(422, 'BREAKDOWN_MISMATCH');
  if (c.milestones.reduce((s, m) => s + m.share, 0) !== 100) throw new HttpError(422, 'MILESTONE_SHARES');
}

/** canonical.ts canonicalJson() and commitment(). */
function canonical(v: unknown): string {
  if (v === null || typeof v !== 'object') return JSON.stringify(v);
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  return `{${Object.entries(v as Record<string, unknown>)
    .filter(([, x]) => x !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([k, x]) => `${JSON.stringify(k)}:${canonical(x)}`)
    .join(',')}}`;
}

async function createBid(
  c: PoolClient,
  claims: JwtPayload,
  briefId: string,
  content: Content,
  submit: boolean,
): Promise<Record<string, unknown>> {
  const [brief] = (
    await c.query<{ id: string }>(LOAD_VISIBLE, [claims.org, claims.role, claims.kind, briefId])
  ).rows;
  if (!brief) throw new HttpError(404, 'NOT_FOUND');
  await c.query('SELECT 1 FROM briefs WHERE id = $1 FOR SHARE', [briefId]);
  const [open] = (
    await c.query<{ currency: string; budget_max: string | null; domestic_only: boolean; open: boolean }>(
      `SELECT currency, budget_max, domestic_only,
              status = 'published' AND bids_close_at > clock_timestamp() AS open
         FROM briefs WHERE id = $1`,
      [briefId],
    )
  ).rows;
  if (!open?.open) throw new HttpError(409, 'BID_WINDOW_CLOSED');
  const [org] = (
    await c.query<{ verified: boolean }>(
      'SELECT verified_at IS NOT NULL AS verified, country, bin FROM organisations WHERE id = $1',
      [claims.org],
    )
  ).rows;
  if (!org?.verified) throw new HttpError(403, 'STUDIO_NOT_VERIFIED');
  if (open.domestic_only) throw new HttpError(403, 'DOMESTIC_ONLY'); // the bench's briefs are not domestic-only
  assertContent(content, open.currency);
  const overBudget = open.budget_max !== null && BigInt(content.price.amount) > BigInt(open.budget_max);
  const [row] = (
    await c.query<{ id: string }>(
      `INSERT INTO bids (brief_id, studio_id, price_amount, currency, content, over_budget)
       VALUES ($1, $2, $3, $4, $5::jsonb, $6) RETURNING id`,
      [
        briefId,
        claims.org,
        content.price.amount,
        content.price.currency,
        JSON.stringify(content),
        overBudget,
      ],
    )
  ).rows;
  const id = row!.id;
  if (submit) {
    const nonce = randomBytes(32).toString('hex');
    const commitment = createHash('sha256')
      .update(`${nonce}.${canonical(content)}`, 'utf8')
      .digest('hex');
    await c.query(
      `UPDATE bids SET status = 'submitted', nonce = $2, commitment = $3, submitted_at = clock_timestamp() WHERE id = $1`,
      [id, nonce, commitment],
    );
  }
  await c.query(
    `INSERT INTO bid_versions (bid_id, version, status, price_amount, content, commitment, changed_by)
     SELECT id, version, status, price_amount, content, commitment, $2 FROM bids WHERE id = $1`,
    [id, claims.sub],
  );
  const [bid] = (
    await c.query<{
      id: string;
      brief_id: string;
      studio_id: string;
      studio_name: string;
      status: string;
      version: number;
      price_amount: string;
      currency: string;
      content: Content;
      over_budget: boolean;
      commitment: string | null;
      nonce: string | null;
      submitted_at: Date | null;
      decision_note: string | null;
      created_at: Date;
      updated_at: Date;
      brief_title: string;
    }>(BID_SELECT, [id])
  ).rows;
  const b = bid!;
  if (submit) {
    await c.query(
      `INSERT INTO outbox (type, payload, available_at) VALUES ($1, $2::jsonb, coalesce($3::timestamptz, now()))
       RETURNING id`,
      [
        'bid.submitted',
        JSON.stringify({
          recipients: { organisationIds: [claims.org], roles: ['producer', 'admin'] },
          data: { briefId, bidId: id, briefTitle: b.brief_title },
        }),
        'infinity',
      ],
    );
  }
  await c.query('SELECT audit_append($1, $2, $3, $4, $5, $6::jsonb, $7::jsonb)', [
    claims.sub,
    claims.org,
    submit ? 'bid.submitted' : 'bid.created',
    'bid',
    id,
    null,
    JSON.stringify({ briefId: b.brief_id, status: b.status, version: b.version, commitment: b.commitment }),
  ]);
  return {
    id: b.id,
    briefId: b.brief_id,
    studio: { id: b.studio_id, name: b.studio_name },
    status: b.status,
    version: b.version,
    price: { amount: Number(b.price_amount), currency: b.currency },
    breakdown: b.content.breakdown,
    milestones: b.content.milestones,
    creativeApproach: b.content.creativeApproach,
    team: b.content.team,
    productionSchedule: b.content.productionSchedule,
    overBudget: b.over_budget,
    receipt:
      b.commitment && b.nonce && b.submitted_at
        ? { commitment: b.commitment, nonce: b.nonce, submittedAt: b.submitted_at.toISOString() }
        : null,
    decisionNote: b.decision_note,
    createdAt: b.created_at.toISOString(),
    updatedAt: b.updated_at.toISOString(),
  };
}

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type':
      status < 400 ? 'application/json; charset=utf-8' : 'application/problem+json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    'cache-control': 'no-store',
  });
  res.end(text);
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > 1_048_576) reject(new HttpError(413, 'PAYLOAD_TOO_LARGE'));
      else chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const m = PATH.exec(req.url ?? '');
  if (req.method !== 'POST' || !m) return send(res, 404, { status: 404 });
  let claims: JwtPayload;
  try {
    const auth = req.headers.authorization;
    if (!auth?.startsWith('Bearer ')) throw new Error('no token');
    claims = verify(auth.slice(7), key, {
      algorithms: ['HS256'],
      issuer: 'efir',
      audience: 'efir-api',
    }) as JwtPayload;
    if (claims.typ !== 'access') throw new Error('typ');
  } catch {
    return send(res, 401, { status: 401, code: 'UNAUTHENTICATED' });
  }
  if (claims.kind !== 'studio' || !['producer', 'admin'].includes(claims.role as string))
    return send(res, 403, { status: 403, code: 'FORBIDDEN' });
  const briefId = m[1]!;
  if (!UUID.test(briefId)) return send(res, 400, { status: 400, code: 'VALIDATION_FAILED' });
  let body: Record<string, unknown>;
  let content: Content;
  try {
    const parsed: unknown = JSON.parse(await readBody(req));
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
      throw new Error('not an object');
    body = parsed as Record<string, unknown>;
    content = contentOf(body);
  } catch (err) {
    const status = err instanceof HttpError ? err.status : 400;
    return send(res, status, { status, code: 'VALIDATION_FAILED' });
  }
  const c = await pool.connect();
  try {
    await c.query('BEGIN');
    const bid = await createBid(c, claims, briefId.toLowerCase(), content, body.submit === true);
    await c.query('COMMIT');
    send(res, 201, bid);
  } catch (err) {
    await c.query('ROLLBACK').catch(() => undefined);
    if (err instanceof HttpError) return send(res, err.status, { status: err.status, code: err.code });
    if ((err as { code?: string }).code === '23505')
      return send(res, 409, { status: 409, code: 'BID_EXISTS' });
    console.error(err);
    send(res, 500, { status: 500 });
  } finally {
    c.release();
  }
}

const server = createServer((req, res) => void handle(req, res));
server.listen(Number(process.env.PORT ?? 3991), '127.0.0.1');
process.on('SIGTERM', () => {
  server.close();
  void pool.end().then(() => process.exit(0));
});
