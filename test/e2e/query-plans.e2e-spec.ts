import { DataSource } from 'typeorm';
import { encodeCursor } from '../../src/shared/http/pagination';
import { bearer, loginOperator, type Actor } from '../factories';
import { createBroadcaster, createStudio, type Broadcaster, type Studio } from '../factories/commissioning';
import { startApp, type TestApp } from '../utils/app';

/**
 * Every list endpoint, run over HTTP against a large seeded database: the SQL the app really
 * sends is captured and EXPLAINed with the same parameters. A sequential scan of a table with
 * more than SEQ_SCAN_LIMIT rows fails the query's test; so does OFFSET pagination.
 */
const SEQ_SCAN_LIMIT = 10_000;

interface Captured {
  sql: string;
  params: unknown[];
}

interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  'Index Name'?: string;
  'Total Cost': number;
  Plans?: PlanNode[];
}

interface Checked {
  sql: string;
  top: string;
  cost: number;
  indexes: string[];
  bigSeqScans: string[];
  /** The plan's nodes in pre-order, e.g. "Limit > Sort > Seq Scan(briefs)". */
  shape: string;
}

let t: TestApp;
let b: Broadcaster;
let s: Studio;
let operator: Actor;
let captured: Captured[] | null = null;
let relTuples = new Map<string, number>();
/** A deep keyset position in the broadcaster's own briefs, and in its notifications. */
let deepBriefCursor: string;
let deepStudioBriefCursor: string;
let deepNotificationCursor: string;
let deepIdeaCallCursor: string;
let deepPublicIdeaCallCursor: string;
/** The broadcaster's open idea call with thousands of ideas, and deep positions in its lists. */
let bigIdeaCallId: string;
let deepIdeaCursor: string;
let deepPublicIdeaCursor: string;
let awardedBriefId: string;
let auditedBriefId: string;
const report: string[] = [];

const SEED_SQL = {
  organisations: `
    INSERT INTO organisations (name, kind, country, genres, verified_at)
    SELECT 'Seed broadcaster ' || g, 'broadcaster', 'KZ', '{}', now() FROM generate_series(1, 19) g;
    INSERT INTO organisations (name, kind, country, genres, verified_at)
    SELECT 'Seed studio ' || g, 'studio', 'KZ', ARRAY['documentary', 'drama'], now()
      FROM generate_series(1, 2999) g`,
  numbering: `
    CREATE TEMP TABLE seed_bc AS
      SELECT id, (row_number() OVER (ORDER BY id = $1::uuid DESC, id) - 1)::int AS n
        FROM organisations WHERE kind = 'broadcaster';
    CREATE TEMP TABLE seed_st AS
      SELECT id, (row_number() OVER (ORDER BY id = $1::uuid DESC, id) - 1)::int AS n
        FROM organisations WHERE kind = 'studio'`,
  // 60,000 briefs over 20 broadcasters (the test broadcaster is n = 0), every status, created
  // over two years with millisecond precision, titles and synopses in Kazakh, Russian, English.
  briefs: `
    INSERT INTO briefs (broadcaster_id, created_by, status, title, synopsis, genre, format, episodes,
                        episode_minutes, languages, budget_min, budget_max, questions_close_at, bids_close_at,
                        delivery_due_at, visibility, published_at, created_at, updated_at)
    SELECT bc.id, $1::uuid, x.status,
           (ARRAY['Дала','Қазақ','Алматы','Жібек','Көшпенділер','Тарих','Ауыл','Теңіз','Тау','Жұлдыз'])[1 + g % 10]
             || ' ' || (ARRAY['песни','история','города','степи','кочевники','путь','море','горы','звёзды','кухня'])[1 + (g / 10) % 10]
             || ': ' || (ARRAY['steppe','songs','history','mountains','silk','road','nomads','drama','comedy','kitchen'])[1 + (g / 100) % 10]
             || ' ' || g,
           'Қазақ даласының әндері туралы деректі сериал ' || g
             || '. Документальный сериал о песнях степи. A documentary series about the songs of the steppe.',
           (ARRAY['documentary','drama','comedy','animation','reality','music','history','children'])[1 + g % 8],
           (ARRAY['series','film','documentary','entertainment','news','animation','other'])[1 + (g / 7) % 7],
           1 + g % 12, 22 + g % 40, ARRAY['kk','ru'],
           (10 + g % 90)::bigint * 1000000000, (20 + g % 90)::bigint * 2000000000,
           x.bids_close - interval '2 days', x.bids_close, x.bids_close + interval '180 days',
           CASE WHEN (g / 3) % 20 = 0 THEN 'invited' ELSE 'open' END,
           x.published, x.created, x.created
      FROM generate_series(0, 59999) g
      JOIN seed_bc bc ON bc.n = g % 20
      CROSS JOIN LATERAL (
        SELECT (ARRAY['draft','published','closed','awarded','cancelled'])[1 + (g / 20) % 5] AS status,
               date_trunc('milliseconds', now() - interval '730 days' * ((g * 7919) % 60000) / 60000.0
                 - interval '1 hour') AS created
      ) y
      CROSS JOIN LATERAL (
        SELECT y.status, y.created,
               CASE WHEN y.status = 'draft' OR (y.status = 'cancelled' AND g % 2 = 0) THEN NULL
                    ELSE y.created + interval '10 minutes' END AS published,
               CASE WHEN y.status = 'draft' THEN NULL
                    WHEN y.status = 'published' AND g % 2 = 0 THEN now() + interval '1 day' * (3 + g % 60)
                    ELSE y.created + interval '30 days' END AS bids_close
      ) x`,
  // 200,000 bids: unique (brief, studio) because the studio is (r + 601k) mod 3000 for k = 0..4.
  bids: `
    CREATE TEMP TABLE seed_briefs AS
      SELECT id, status, created_at, (row_number() OVER (ORDER BY created_at, id) - 1)::int AS n
        FROM briefs WHERE status <> 'draft';
    INSERT INTO bids (brief_id, studio_id, status, price_amount, currency, content, commitment, nonce,
                      submitted_at, created_at, updated_at)
    SELECT sb.id, st.id,
           CASE WHEN sb.status = 'awarded' AND g / 48000 = 0 THEN 'awarded' ELSE 'submitted' END,
           5000000000 + (g % 1000)::bigint * 10000000, 'KZT', '{}'::jsonb, md5(g::text), md5((g + 1)::text),
           sb.created_at + interval '2 days', sb.created_at + interval '1 day', sb.created_at + interval '2 days'
      FROM generate_series(0, 199999) g
      JOIN seed_briefs sb ON sb.n = g % 48000
      JOIN seed_st st ON st.n = (g % 48000 + 601 * (g / 48000)) % 3000`,
  contracts: `
    INSERT INTO contracts (brief_id, bid_id, broadcaster_id, studio_id, status, value_amount, currency, rights,
                           delivery_spec, created_at, updated_at)
    SELECT br.id, x.id, br.broadcaster_id, x.studio_id, 'active', x.price_amount, 'KZT', '{}', '{}',
           br.created_at + interval '31 days', br.created_at + interval '31 days'
      FROM bids x JOIN briefs br ON br.id = x.brief_id WHERE x.status = 'awarded';
    INSERT INTO milestones (contract_id, sequence, title, amount, due_at, status, created_at)
    SELECT id, 1, 'Master', value_amount, created_at + interval '200 days', 'invoiced', created_at FROM contracts;
    INSERT INTO invoices (contract_id, milestone_id, broadcaster_id, studio_id, amount, vat, total, currency,
                          status, issued_at)
    SELECT c.id, m.id, c.broadcaster_id, c.studio_id, m.amount, 0, m.amount, 'KZT', 'open',
           c.created_at + interval '40 days'
      FROM milestones m JOIN contracts c ON c.id = m.contract_id;
    INSERT INTO payouts (broadcaster_id, studio_id, amount, currency, status, created_by, created_at)
    SELECT broadcaster_id, studio_id, total, 'KZT', 'pending_approval', $1::uuid, issued_at + interval '1 day'
      FROM invoices`,
  // 30,000 idea calls over the 20 broadcasters, every status; a third of the stored-open ones
  // are past closes_at (closed in effect, by the database clock).
  ideaCalls: `
    INSERT INTO idea_calls (broadcaster_id, created_by, status, title, description, genres, languages,
                            closes_at, voting_enabled, opened_at, created_at, updated_at)
    SELECT bc.id, $1::uuid, (ARRAY['draft','open','closed','cancelled'])[1 + (g / 20) % 4],
           'Идеялар шақыруы ' || g, 'Ideas wanted for a documentary series ' || g,
           ARRAY['documentary'], ARRAY['kk','ru'],
           now() + interval '1 day' * ((g % 90) - 30), g % 2 = 0,
           CASE WHEN (g / 20) % 4 <> 0 THEN y.created + interval '1 day' END, y.created, y.created
      FROM generate_series(0, 29999) g
      JOIN seed_bc bc ON bc.n = g % 20
      CROSS JOIN LATERAL (
        SELECT date_trunc('milliseconds', now() - interval '730 days' * ((g::bigint * 7919) % 30000) / 30000.0
                 - interval '1 hour') AS created
      ) y`,
  // 60,000 ideas, 20 for each of 3,000 calls that were opened, every status; then 2,000 more for
  // the test broadcaster's newest open call ($1), the one the idea lists are checked on; a
  // submitter for each, and three reports for each hidden one.
  ideas: `
    CREATE TEMP TABLE seed_idea_calls AS
      SELECT id, (row_number() OVER (ORDER BY id) - 1)::int AS n FROM idea_calls WHERE status <> 'draft';
    INSERT INTO ideas (call_id, status, title, logline, description, credit, sha256, signature, key_id, received_at)
    SELECT c.id,
           (ARRAY['pending','approved','rejected','shortlisted','converted','declined','hidden','withdrawn'])[1 + (g / 7) % 8],
           'Дала әндері ' || g, 'Песни степи, история ' || g, 'A documentary about the songs of the steppe ' || g,
           g % 2 = 0, md5(g::text) || md5((g + 1)::text), 'seeded', 'seeded',
           date_trunc('milliseconds', now() - interval '365 days' * ((g::bigint * 7919) % 60000) / 60000.0)
      FROM generate_series(0, 59999) g
      JOIN seed_idea_calls c ON c.n = g % 3000;
    INSERT INTO ideas (call_id, status, title, logline, description, credit, sha256, signature, key_id, received_at)
    SELECT $1::uuid,
           (ARRAY['pending','approved','rejected','shortlisted','converted','declined','hidden','withdrawn'])[1 + g % 8],
           'Идея ' || g, 'A logline ' || g, 'A description of idea ' || g, g % 2 = 0,
           md5(g::text) || md5((g + 2)::text), 'seeded', 'seeded',
           date_trunc('milliseconds', now() - interval '30 days' * ((g::bigint * 7919) % 2000) / 2000.0)
      FROM generate_series(0, 1999) g;
    INSERT INTO idea_submitters (idea_id, name, email, ip_hash, consent_version)
    SELECT id, 'Seed viewer', 'viewer-' || left(id::text, 8) || '@mail.kz', md5(id::text), 'v1' FROM ideas;
    INSERT INTO idea_reports (idea_id, reporter_hmac, reason)
    SELECT i.id, md5(i.id::text || r), 'spam' FROM ideas i CROSS JOIN generate_series(1, 3) r WHERE i.status = 'hidden'`,
  // 50,000 notifications for five users.
  notifications: `
    INSERT INTO notifications (event_id, user_id, type, title, data, created_at, read_at)
    -- Event ids far above the app's own outbox ids, so a real notification never collides.
    SELECT 1000000000 + g, (ARRAY[$1, $2, $3, $4, $5]::uuid[])[1 + g % 5], 'brief.published', 'Жаңа бриф ' || g, '{}'::jsonb,
           date_trunc('milliseconds', now() - interval '730 days' * ((g::bigint * 104729) % 50000) / 50000.0),
           CASE WHEN g % 3 = 0 THEN now() END
      FROM generate_series(1, 50000) g`,
  // 20,000 audit events through the chain function, spread over the organisations.
  audit: `
    SELECT count(audit_append($1::uuid, br.broadcaster_id, 'brief.updated', 'brief', br.id::text, NULL,
                              '{"status":"draft"}'::jsonb))
      FROM (SELECT id, broadcaster_id FROM briefs ORDER BY created_at LIMIT 20000) br`,
};

async function seed(): Promise<void> {
  const db = t.db;
  await db.query(SEED_SQL.organisations);
  await db.query(SEED_SQL.numbering.split(';')[0]!, [b.admin.organisationId]);
  await db.query(SEED_SQL.numbering.split(';')[1]!, [s.admin.organisationId]);
  await db.query(SEED_SQL.briefs, [b.commissioner.userId]);
  for (const stmt of SEED_SQL.bids.split(';')) await db.query(stmt);
  const contracts = SEED_SQL.contracts.split(';');
  for (const stmt of contracts.slice(0, -1)) await db.query(stmt);
  await db.query(contracts[contracts.length - 1]!, [b.finance.userId]);
  await db.query(SEED_SQL.notifications, [
    b.commissioner.userId,
    b.admin.userId,
    b.finance.userId,
    s.producer.userId,
    s.admin.userId,
  ]);
  await db.query(SEED_SQL.audit, [b.commissioner.userId]);
  await db.query(SEED_SQL.ideaCalls, [b.commissioner.userId]);
  const { rows: calls } = await db.query<{ id: string }>(
    `SELECT id FROM idea_calls WHERE broadcaster_id = $1 AND status = 'open' AND closes_at > now()
      ORDER BY created_at DESC LIMIT 1`,
    [b.admin.organisationId],
  );
  bigIdeaCallId = calls[0]!.id;
  const [ideasTemp, ideasAll, ideasBigCall, ...ideasRest] = SEED_SQL.ideas.split(';');
  await db.query(ideasTemp!);
  await db.query(ideasAll!);
  await db.query(ideasBigCall!, [bigIdeaCallId]);
  for (const stmt of ideasRest) await db.query(stmt);
  await db.query('ANALYZE');
  const { rows } = await db.query<{ relname: string; reltuples: number }>(
    `SELECT relname, reltuples::float8 AS reltuples FROM pg_class
      WHERE relkind = 'r' AND relnamespace = 'public'::regnamespace`,
  );
  relTuples = new Map(rows.map((r) => [r.relname, r.reltuples]));
}

const CURSOR_SQL = `to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

async function cursorAt(sql: string, params: unknown[]): Promise<string> {
  const { rows } = await t.db.query<{ ts: string; id: string }>(sql, params);
  if (!rows[0]) throw new Error(`no row for cursor: ${sql}`);
  return encodeCursor(rows[0]);
}

function walk(node: PlanNode, visit: (n: PlanNode) => void): void {
  visit(node);
  for (const child of node.Plans ?? []) walk(child, visit);
}

async function explain(q: Captured): Promise<Checked> {
  const { rows } = await t.db.query<{ 'QUERY PLAN': { Plan: PlanNode }[] }>(
    `EXPLAIN (FORMAT JSON) ${q.sql}`,
    q.params,
  );
  const plan = rows[0]!['QUERY PLAN'][0]!.Plan;
  const indexes: string[] = [];
  const bigSeqScans: string[] = [];
  const nodes: string[] = [];
  walk(plan, (n) => {
    const on = n['Index Name'] ?? n['Relation Name'];
    nodes.push(on ? `${n['Node Type']}(${on})` : n['Node Type']);
    if (n['Index Name']) indexes.push(n['Index Name']);
    if (n['Node Type'] === 'Seq Scan' && n['Relation Name']) {
      const tuples = relTuples.get(n['Relation Name']) ?? 0;
      if (tuples > SEQ_SCAN_LIMIT) bigSeqScans.push(`${n['Relation Name']} (${Math.round(tuples)} rows)`);
    }
  });
  return {
    sql: q.sql,
    top: plan['Node Type'],
    cost: plan['Total Cost'],
    indexes: [...new Set(indexes)],
    bigSeqScans,
    shape: nodes.join(' > '),
  };
}

const oneLine = (sql: string): string => sql.replace(/\s+/g, ' ').trim();

/** Makes the request while capturing the SQL it sends, then EXPLAINs every SELECT of it. */
async function checkPlans(label: string, as: () => Actor, path: () => string): Promise<Checked[]> {
  captured = [];
  const res = await t
    .http()
    .get(path())
    .set(...bearer(as()));
  const queries = captured;
  captured = null;
  expect(res.status).toBe(200);
  const selects = queries.filter(
    (q) => /^\s*(SELECT|WITH)\b/i.test(q.sql) && !/\bFROM outbox\b/i.test(q.sql),
  );
  expect(selects.length).toBeGreaterThan(0);
  const checked: Checked[] = [];
  for (const q of selects) checked.push(await explain(q));
  for (const c of checked) {
    report.push(
      `${label}\n    ${c.top}, total cost ${c.cost}, indexes: ${c.indexes.join(', ') || '(none)'}` +
        `${c.bigSeqScans.length ? `\n    SEQ SCAN ON LARGE TABLE: ${c.bigSeqScans.join(', ')}` : ''}` +
        `\n    plan: ${c.shape}` +
        `\n    ${oneLine(c.sql).slice(0, 220)}`,
    );
  }
  return checked;
}

async function expectIndexedPlans(label: string, as: () => Actor, path: () => string): Promise<void> {
  const checked = await checkPlans(label, as, path);
  // Keyset pagination only: OFFSET makes deep pages read and discard every earlier row.
  expect(checked.filter((c) => /\bOFFSET\b/i.test(c.sql)).map((c) => oneLine(c.sql))).toEqual([]);
  expect(
    checked
      .filter((c) => c.bigSeqScans.length)
      .map((c) => ({ seqScan: c.bigSeqScans, plan: c.shape, cost: c.cost, sql: oneLine(c.sql) })),
  ).toEqual([]);
}

beforeAll(async () => {
  t = await startApp();
  const ds = t.app.get(DataSource);
  const original = ds.query.bind(ds);
  // Calls through to PostgreSQL; only records what is sent while a request is being checked.
  jest.spyOn(ds, 'query').mockImplementation((...args: Parameters<DataSource['query']>) => {
    const [sql, params] = args;
    captured?.push({ sql, params: Array.isArray(params) ? params : [] });
    return original(...args);
  });
  b = await createBroadcaster(t);
  s = await createStudio(t, { genres: ['documentary'] });
  operator = await loginOperator(t);
  await seed();
  deepBriefCursor = await cursorAt(
    `SELECT ${CURSOR_SQL} AS ts, id FROM briefs WHERE broadcaster_id = $1
      ORDER BY created_at DESC, id DESC OFFSET 1500 LIMIT 1`,
    [b.admin.organisationId],
  );
  deepStudioBriefCursor = await cursorAt(
    `SELECT ${CURSOR_SQL} AS ts, id FROM briefs WHERE published_at IS NOT NULL AND visibility = 'open'
      ORDER BY created_at DESC, id DESC OFFSET 20000 LIMIT 1`,
    [],
  );
  deepNotificationCursor = await cursorAt(
    `SELECT ${CURSOR_SQL} AS ts, id FROM notifications WHERE user_id = $1
      ORDER BY created_at DESC, id DESC OFFSET 5000 LIMIT 1`,
    [b.commissioner.userId],
  );
  deepIdeaCallCursor = await cursorAt(
    `SELECT ${CURSOR_SQL} AS ts, id FROM idea_calls WHERE broadcaster_id = $1
      ORDER BY created_at DESC, id DESC OFFSET 1000 LIMIT 1`,
    [b.admin.organisationId],
  );
  deepPublicIdeaCallCursor = await cursorAt(
    `SELECT ${CURSOR_SQL} AS ts, id FROM idea_calls WHERE status = 'open' AND closes_at > now()
      ORDER BY created_at DESC, id DESC OFFSET 2000 LIMIT 1`,
    [],
  );
  const IDEA_CURSOR_SQL = CURSOR_SQL.replace('created_at', 'received_at');
  deepIdeaCursor = await cursorAt(
    `SELECT ${IDEA_CURSOR_SQL} AS ts, id FROM ideas WHERE call_id = $1
      ORDER BY received_at DESC, id DESC OFFSET 1200 LIMIT 1`,
    [bigIdeaCallId],
  );
  deepPublicIdeaCursor = await cursorAt(
    `SELECT ${IDEA_CURSOR_SQL} AS ts, id FROM ideas
      WHERE call_id = $1 AND status IN ('approved', 'shortlisted', 'converted', 'declined')
      ORDER BY received_at DESC, id DESC OFFSET 600 LIMIT 1`,
    [bigIdeaCallId],
  );
  const awarded = await t.db.query<{ id: string }>(
    `SELECT id FROM briefs WHERE broadcaster_id = $1 AND status = 'awarded' AND bids_close_at < now()
      ORDER BY created_at DESC LIMIT 1`,
    [b.admin.organisationId],
  );
  awardedBriefId = awarded.rows[0]!.id;
  const audited = await t.db.query<{ entity_id: string }>(
    `SELECT entity_id FROM audit_events WHERE organisation_id = $1 AND entity_type = 'brief' LIMIT 1`,
    [b.admin.organisationId],
  );
  auditedBriefId = audited.rows[0]!.entity_id;
}, 120_000);

afterAll(async () => {
  // The plan of every checked query, on request: PLAN_REPORT=1 npx jest test/e2e/query-plans …
  if (process.env.PLAN_REPORT)
    console.log(`Query plans (seq scan limit ${SEQ_SCAN_LIMIT} rows):\n${report.join('\n')}`);
  await t?.close();
});

describe('Query plans of list endpoints on a large database', () => {
  it('has seeded tables large enough for a sequential scan to matter', () => {
    expect(relTuples.get('briefs')).toBeGreaterThan(50_000);
    expect(relTuples.get('bids')).toBeGreaterThan(150_000);
    expect(relTuples.get('notifications')).toBeGreaterThan(40_000);
    expect(relTuples.get('audit_events')).toBeGreaterThan(15_000);
    expect(relTuples.get('contracts')).toBeGreaterThan(SEQ_SCAN_LIMIT);
    expect(relTuples.get('idea_calls')).toBeGreaterThan(SEQ_SCAN_LIMIT);
    expect(relTuples.get('ideas')).toBeGreaterThan(60_000);
    expect(relTuples.get('idea_submitters')).toBeGreaterThan(60_000);
    expect(relTuples.get('idea_reports')).toBeGreaterThan(SEQ_SCAN_LIMIT);
  });

  describe('GET /idea-calls', () => {
    it('uses an index for the broadcaster', () =>
      expectIndexedPlans(
        'GET /idea-calls',
        () => b.commissioner,
        () => '/api/v1/idea-calls',
      ));

    it('uses an index for a deep cursor page', () =>
      expectIndexedPlans(
        'GET /idea-calls deep cursor',
        () => b.commissioner,
        () => `/api/v1/idea-calls?cursor=${encodeURIComponent(deepIdeaCallCursor)}`,
      ));
  });

  describe('GET /public/idea-calls', () => {
    it('uses an index for the first page', () =>
      expectIndexedPlans(
        'GET /public/idea-calls',
        () => s.producer,
        () => '/api/v1/public/idea-calls',
      ));

    it('uses an index for a deep cursor page', () =>
      expectIndexedPlans(
        'GET /public/idea-calls deep cursor',
        () => s.producer,
        () => `/api/v1/public/idea-calls?cursor=${encodeURIComponent(deepPublicIdeaCallCursor)}`,
      ));
  });

  describe('GET /idea-calls/{id}/ideas (moderation, with similar ideas)', () => {
    it.each([
      ['no filter', ''],
      ['status=pending', 'status=pending'],
      ['status=approved', 'status=approved'],
    ])('uses an index with %s', (label, query) =>
      expectIndexedPlans(
        `GET /idea-calls/{id}/ideas ${label}`,
        () => b.commissioner,
        () => `/api/v1/idea-calls/${bigIdeaCallId}/ideas?${query}`,
      ),
    );

    it('uses an index for a deep cursor page', () =>
      expectIndexedPlans(
        'GET /idea-calls/{id}/ideas deep cursor',
        () => b.commissioner,
        () => `/api/v1/idea-calls/${bigIdeaCallId}/ideas?cursor=${encodeURIComponent(deepIdeaCursor)}`,
      ));
  });

  describe('GET /public/idea-calls/{id}/ideas', () => {
    it('uses an index for the first page', () =>
      expectIndexedPlans(
        'GET /public/idea-calls/{id}/ideas',
        () => s.producer,
        () => `/api/v1/public/idea-calls/${bigIdeaCallId}/ideas`,
      ));

    it('uses an index for a deep cursor page', () =>
      expectIndexedPlans(
        'GET /public/idea-calls/{id}/ideas deep cursor',
        () => s.producer,
        () =>
          `/api/v1/public/idea-calls/${bigIdeaCallId}/ideas?cursor=${encodeURIComponent(deepPublicIdeaCursor)}`,
      ));
  });

  describe('GET /briefs as the broadcaster', () => {
    const as = (): Actor => b.commissioner;
    it.each([
      ['no filter', ''],
      ['status=draft', 'status=draft'],
      ['status=published', 'status=published'],
      ['status=closed', 'status=closed'],
      ['genre=drama', 'genre=drama'],
      ['format=film', 'format=film'],
      ['q in Kazakh', `q=${encodeURIComponent('қазақ дала')}`],
      ['q in Russian', `q=${encodeURIComponent('песни степи')}`],
      ['budgetMin and budgetMax', 'budgetMin=150000000000&budgetMax=300000000000'],
      ['closingBefore', `closingBefore=${encodeURIComponent('2030-01-01T00:00:00Z')}`],
    ])('uses an index with %s', (label, query) =>
      expectIndexedPlans(`GET /briefs (broadcaster) ${label}`, as, () => `/api/v1/briefs?${query}`),
    );

    it('uses an index for a deep cursor page', () =>
      expectIndexedPlans(
        'GET /briefs (broadcaster) deep cursor',
        as,
        () => `/api/v1/briefs?cursor=${deepBriefCursor}`,
      ));
  });

  describe('GET /briefs as a verified studio', () => {
    const as = (): Actor => s.producer;
    it.each([
      ['no filter', ''],
      ['status=published', 'status=published'],
      ['status=closed', 'status=closed'],
      ['status=awarded', 'status=awarded'],
      ['status=published&genre=documentary', 'status=published&genre=documentary'],
      ['genre=drama', 'genre=drama'],
      ['format=film', 'format=film'],
      ['q in Kazakh', `q=${encodeURIComponent('қазақ дала')}`],
      ['q in Russian', `q=${encodeURIComponent('песни степи')}`],
      ['budgetMin and budgetMax', 'budgetMin=150000000000&budgetMax=300000000000'],
      ['closingBefore', `closingBefore=${encodeURIComponent('2030-01-01T00:00:00Z')}`],
    ])('uses an index with %s', (label, query) =>
      expectIndexedPlans(`GET /briefs (studio) ${label}`, as, () => `/api/v1/briefs?${query}`),
    );

    it('uses an index for a deep cursor page', () =>
      expectIndexedPlans(
        'GET /briefs (studio) deep cursor',
        as,
        () => `/api/v1/briefs?cursor=${deepStudioBriefCursor}`,
      ));
  });

  describe('GET /briefs/{id}/bids', () => {
    it('uses an index for the bids of a closed brief', () =>
      expectIndexedPlans(
        'GET /briefs/{id}/bids (broadcaster)',
        () => b.commissioner,
        () => `/api/v1/briefs/${awardedBriefId}/bids`,
      ));
  });

  describe('GET /notifications', () => {
    it('uses an index for the first page', () =>
      expectIndexedPlans(
        'GET /notifications first page',
        () => b.commissioner,
        () => '/api/v1/notifications',
      ));

    it('uses an index for unread only', () =>
      expectIndexedPlans(
        'GET /notifications unread',
        () => b.commissioner,
        () => '/api/v1/notifications?unread=true',
      ));

    it('uses an index for a deep cursor page', () =>
      expectIndexedPlans(
        'GET /notifications deep cursor',
        () => b.commissioner,
        () => `/api/v1/notifications?cursor=${deepNotificationCursor}`,
      ));
  });

  describe('GET /audit', () => {
    it('uses an index for the operator', () =>
      expectIndexedPlans(
        'GET /audit (operator)',
        () => operator,
        () => '/api/v1/audit',
      ));

    it('uses an index for the operator on a deep cursor page', () =>
      expectIndexedPlans(
        'GET /audit (operator) deep cursor',
        () => operator,
        () => `/api/v1/audit?cursor=${Buffer.from('5000').toString('base64url')}`,
      ));

    it('uses an index for an org admin', () =>
      expectIndexedPlans(
        'GET /audit (org admin)',
        () => b.admin,
        () => '/api/v1/audit',
      ));

    it('uses an index for an org admin filtering by entity', () =>
      expectIndexedPlans(
        'GET /audit (org admin) entityType/entityId',
        () => b.admin,
        () => `/api/v1/audit?entityType=brief&entityId=${auditedBriefId}`,
      ));
  });

  describe('GET /organisations/{id}/members', () => {
    it('uses an index or a small table', () =>
      expectIndexedPlans(
        'GET /organisations/{id}/members',
        () => b.admin,
        () => `/api/v1/organisations/${b.admin.organisationId}/members`,
      ));
  });

  describe('GET /organisations/{id}/responsiveness', () => {
    it("uses the broadcaster's indexes for every metric", () =>
      expectIndexedPlans(
        'GET /organisations/{id}/responsiveness',
        () => s.producer,
        () => `/api/v1/organisations/${b.admin.organisationId}/responsiveness`,
      ));
  });

  // The party lists: each for the broadcaster's and the studio's side.
  describe.each(['contracts', 'invoices', 'payouts'] as const)('GET /%s', (list) => {
    it('uses an index for the broadcaster', () =>
      expectIndexedPlans(
        `GET /${list} (broadcaster)`,
        () => (list === 'contracts' ? b.commissioner : b.finance),
        () => `/api/v1/${list}`,
      ));

    it('uses an index for the studio', () =>
      expectIndexedPlans(
        `GET /${list} (studio)`,
        () => (list === 'contracts' ? s.producer : s.finance),
        () => `/api/v1/${list}`,
      ));
  });
});
