// Deterministic dataset for the read benchmarks, written with set-based SQL into a database the
// app has already migrated. Ids come from md5() of a counter (those that appear in URLs shaped as
// version-4 uuids), the brief mix from a seeded random() (run with no parallel workers, so row
// order is fixed) and everything else from md5() or sha256() of a counter, so two seeds of the
// same size are identical. The rows are what the app would have left, written directly: no outbox
// rows, notifications or audit events.
//
//   ts-node --transpile-only bench/seed.ts <database-url> [briefs=10000]
import { Client } from 'pg';
import { canonicalJson } from '../src/modules/bids/canonical';

export const GENRES = ['drama', 'documentary', 'comedy', 'factual', 'kids', 'sport', 'news', 'entertainment'];

const WORDS = {
  kk: [
    'қазақ',
    'дала',
    'тарихы',
    'ауыл',
    'жастар',
    'деректі',
    'фильм',
    'хикая',
    'әні',
    'тау',
    'көшпенділер',
    'мерекесі',
    'отбасы',
    'қала',
    'өзен',
    'спорт',
  ],
  ru: [
    'история',
    'степь',
    'кино',
    'город',
    'семья',
    'путешествие',
    'документальный',
    'сериал',
    'жизнь',
    'музыка',
    'горы',
    'река',
    'праздник',
    'молодёжь',
    'деревня',
    'спорт',
  ],
  en: [
    'story',
    'steppe',
    'city',
    'family',
    'journey',
    'documentary',
    'series',
    'life',
    'music',
    'river',
    'mountains',
    'festival',
    'youth',
    'village',
    'sport',
    'history',
  ],
};

/** The brief's rights and delivery spec (a contract copies them; its terms hash covers them). */
const RIGHTS = { territories: ['KZ'], licenceYears: 3, runs: 2, platforms: ['linear'] };
const DELIVERY_SPEC = { notes: 'ProRes 422 HQ, stereo' };

/** Texts of the studios' bids, per brief language. */
const BID_TEXTS: Record<
  'kk' | 'ru' | 'en',
  {
    labels: [string, string, string];
    /** Milestone titles; a 3-milestone schedule uses 1, 2, 5 and a 4-milestone one 1, 2, 3, 5. */
    titles: [string, string, string, string, string];
    approaches: [string, string, string];
    teams: [string, string];
    schedule: string;
    notes: [string, string];
  }
> = {
  kk: {
    labels: ['Түсірілім кезеңі', 'Монтаж және дыбыс', 'Өндірістік шығындар'],
    titles: ['Сценарий', 'Түсірілім', 'Бірінші монтаж', 'Дыбыс және түс', 'Мастер-көшірме'],
    approaches: [
      'Оқиғаны кейіпкерлердің көзімен баяндаймыз: табиғи жарық, ұзақ кадрлар және тірі дыбыс.',
      'Деректі материал мен қойылым көріністерін біріктіреміз; әр эпизод бір кейіпкерге арналады.',
      'Жылдам монтаж, дроннан түсірілім және халық әуендеріне негізделген музыка.',
    ],
    teams: [
      'Режиссер, екі оператор, продюсер және монтаждаушы; әрқайсысының 10 жылдан астам тәжірибесі бар.',
      'Шағын топ: режиссер-оператор, дыбыс режиссері және продюсер.',
    ],
    schedule: 'Дайындық 4 апта, түсірілім 8 апта, постөндіріс 6 апта.',
    notes: ['Баға бюджеттен жоғары.', 'Жанр бойынша тәжірибе аз.'],
  },
  ru: {
    labels: ['Съёмочный период', 'Монтаж и звук', 'Производственные расходы'],
    titles: ['Сценарий', 'Съёмки', 'Черновой монтаж', 'Звук и цветокоррекция', 'Мастер-копия'],
    approaches: [
      'Рассказываем историю глазами героев: естественный свет, длинные планы и живой звук.',
      'Сочетаем документальный материал и постановочные сцены; каждая серия посвящена одному герою.',
      'Динамичный монтаж, съёмка с дронов и музыка на основе народных мелодий.',
    ],
    teams: [
      'Режиссёр, два оператора, продюсер и монтажёр; у каждого более 10 лет опыта.',
      'Небольшая группа: режиссёр-оператор, звукорежиссёр и продюсер.',
    ],
    schedule: 'Подготовка 4 недели, съёмки 8 недель, постпродакшн 6 недель.',
    notes: ['Цена выше бюджета.', 'Мало опыта в жанре.'],
  },
  en: {
    labels: ['Shooting period', 'Editing and sound', 'Production overheads'],
    titles: ['Script', 'Principal photography', 'Rough cut', 'Sound and grade', 'Master delivery'],
    approaches: [
      'We tell the story through its characters: natural light, long takes and live sound.',
      'Observational footage combined with staged scenes; every episode follows one character.',
      'Fast-paced editing, drone photography and a score built on folk melodies.',
    ],
    teams: [
      'Director, two camera operators, producer and editor, each with over 10 years of experience.',
      'A small crew: shooting director, sound recordist and producer.',
    ],
    schedule: 'Pre-production 4 weeks, shooting 8 weeks, post-production 6 weeks.',
    notes: ['Price above the budget.', 'Little experience in the genre.'],
  },
};

/** Studios' questions and the commissioners' answers (Kazakh and Russian). */
const QUESTIONS = {
  kk: [
    'Бюджетке ҚҚС кіре ме?',
    'Түсірілім орнын өзіміз таңдай аламыз ба?',
    'Эпизодтар санын өзгертуге бола ма?',
    'Субтитрлер қай тілдерде қажет?',
    'Мұрағаттық материалдар беріле ме?',
    'Құқықтар басқа елдерге де тарала ма?',
    'Пилоттық эпизодты бөлек тапсыру керек пе?',
    'Музыка құқығын кім төлейді?',
  ],
  ru: [
    'Включает ли бюджет НДС?',
    'Можно ли снимать за пределами Алматы?',
    'Допускается ли изменение количества эпизодов?',
    'На каких языках нужны субтитры?',
    'Предоставите ли вы архивные материалы?',
    'Распространяются ли права на другие территории?',
    'Нужно ли сдавать пилотный эпизод отдельно?',
    'Кто оплачивает права на музыку?',
  ],
};
const ANSWERS = {
  kk: [
    'Иә, бюджетке ҚҚС кіреді.',
    'Иә, редакциямен келісу арқылы.',
    'Жоқ, эпизодтар саны өзгермейді.',
    'Қазақ және орыс тілдерінде.',
  ],
  ru: [
    'Да, бюджет указан с НДС.',
    'Да, по согласованию с редакцией.',
    'Нет, количество эпизодов фиксировано.',
    'На казахском и русском языках.',
  ],
};

/** Milestone shares (whole percent, summing to 100) a bid proposes: 3, 4 or 5 milestones. */
const SHARE_TEMPLATES = [
  [30, 40, 30],
  [20, 50, 30],
  [40, 30, 30],
  [25, 25, 25, 25],
  [10, 30, 30, 30],
  [20, 30, 30, 20],
  [20, 20, 20, 20, 20],
  [10, 20, 30, 20, 20],
  [15, 15, 20, 25, 25],
];
/** Due dates of an m-milestone schedule, in days after the bid deadline's day (the last on delivery). */
const DUE_DAYS: Record<number, number[]> = {
  3: [60, 120, 180],
  4: [45, 90, 135, 180],
  5: [36, 72, 108, 144, 180],
};
const TITLE_INDEX: Record<number, number[]> = { 3: [1, 2, 5], 4: [1, 2, 3, 5], 5: [1, 2, 3, 4, 5] };
/** Contract progress (paid milestones, completed contracts) is as of this date: the end of the briefs' window. */
const AS_OF = '2026-06-01 00:00:00Z';
/** Open briefs (published, bids not yet closed) have their deadline from here on. */
const OPEN_FROM = '2030-01-01 00:00:00Z';

/** A uniform integer in [0, 2^28) from hex digits 7i+1..7i+7 (i = 0..3) of the md5/sha256 hex `h`. */
const hx = (h: string, i: number): string => `('x' || substr(${h}, ${1 + 7 * i}, 7))::bit(28)::int`;
/** The same as a fraction in [0, 1). */
const fx = (h: string, i: number): string => `(${hx(h, i)}::float8 / 268435456)`;
/**
 * A version-4-shaped uuid from 32 hex digits (the version nibble 4, the variant 8–b): the app's
 * ParseUUIDPipe refuses other shapes in a path, so every id that goes into a URL is made this way.
 */
const uuidOf = (hex: string): string =>
  `overlay(overlay(${hex} placing '4' from 13) placing substr('89ab', 1 + ('x' || substr(${hex}, 17, 1))::bit(4)::int % 4, 1) from 17)::uuid`;
/** When brief g (closed at `closeAt`) was awarded, if it was: 2–13 days and some hours after the deadline. */
const awardAt = (closeAt: string, g: string): string =>
  `(${closeAt} + make_interval(days => 2 + ${hx(`md5('brief-h2' || ${g})`, 0)} % 12, hours => ${hx(`md5('brief-h2' || ${g})`, 1)} % 8))`;
/** JS Date#toISOString() of a timestamptz, in SQL (the session time zone is UTC). */
const iso = (ts: string): string => `to_char(${ts}, 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

/**
 * The milestones array of a bid's canonical content (keys sorted: dueAt, share, title) for the
 * share template `t`, from the brief's due dates `dues` (DUE_DAYS flattened) and the JSON-quoted
 * `titles` of its language.
 */
function milestonesSql(): string {
  const offset: Record<number, number> = { 3: 0, 4: 3, 5: 7 };
  const whens = SHARE_TEMPLATES.map((shares, t) => {
    const m = shares.length;
    const items = shares.map(
      (share, i) =>
        `'{"dueAt":"', dues[${offset[m]! + i + 1}], '","share":${share},"title":', titles[${TITLE_INDEX[m]![i]}], '}'`,
    );
    return `WHEN ${t} THEN concat('[', ${items.join(`, ',', `)}, ']')`;
  });
  return `(CASE t ${whens.join(' ')} END)`;
}

export interface SeedOptions {
  /**
   * Bids, questions, bid openings, contracts with their milestones and signatures (default true);
   * false seeds only the organisations, users and briefs.
   */
  activity?: boolean;
  /** Bids per brief on average, spread over the non-draft briefs (default 10: 1,000,000 at 100,000). */
  bidsPerBrief?: number;
}

export interface SeedResult {
  briefs: number;
  seconds: number;
  /** Rows per seeded table. */
  counts: Record<string, number>;
  /** Duration of each statement. */
  steps: { step: string; seconds: number }[];
}

/** Runs one statement of the seed and times it. */
type Run = (step: string, sql: string, params?: unknown[]) => Promise<void>;

const TABLES = [
  'organisations',
  'users',
  'briefs',
  'bids',
  'bid_openings',
  'questions',
  'contracts',
  'milestones',
  'contract_signatures',
];

/**
 * Seeds `briefs` briefs, 1,000 broadcasters (one commissioner each), 10,000 studios (one producer
 * each) and, unless `activity` is false, 10 bids per brief (over the non-draft briefs), 0–6
 * questions per published or closed brief, the bid openings of closed and awarded briefs, and a
 * contract with milestones and signatures for every awarded brief.
 */
export async function seed(
  databaseUrl: string,
  briefs = 10_000,
  options: SeedOptions = {},
): Promise<SeedResult> {
  const t0 = Date.now();
  const activity = options.activity ?? true;
  const totalBids = Math.round((options.bidsPerBrief ?? 10) * briefs);
  const c = new Client({ connectionString: databaseUrl });
  await c.connect();
  const counts: Record<string, number> = {};
  const steps: { step: string; seconds: number }[] = [];
  const run: Run = async (step, sql, params) => {
    const t = Date.now();
    await c.query(sql, params);
    steps.push({ step, seconds: (Date.now() - t) / 1000 });
  };
  try {
    await c.query('SET max_parallel_workers_per_gather = 0');
    // Day arithmetic and the ISO texts of due dates do not depend on the server's zone.
    await c.query(`SET TimeZone = 'UTC'`);
    // The bids are sorted by submission time in memory (about 250 MB at 1,000,000).
    await c.query(`SET work_mem = '512MB'`);
    // The row estimates of generate_series() are far off; compiling the queries costs more than it saves.
    await c.query('SET jit = off');
    await c.query('BEGIN');
    await c.query('SELECT setseed(0.42)');
    await run(
      'broadcasters',
      `
      INSERT INTO organisations (id, name, kind, country, genres, verified_at, created_at, updated_at)
      SELECT md5('broadcaster' || g)::uuid,
             (ARRAY['Арна ', 'Телеканал ', 'Channel '])[1 + g % 3] || g, 'broadcaster', 'KZ', '{}',
             timestamptz '2024-01-01 00:00:00Z', timestamptz '2024-01-01 00:00:00Z', timestamptz '2024-01-01 00:00:00Z'
        FROM generate_series(1, 1000) g`,
    );
    await run(
      'commissioners',
      `
      INSERT INTO users (id, organisation_id, email, full_name, role, language, email_notifications, password_hash,
                         created_at)
      SELECT md5('commissioner' || g)::uuid, md5('broadcaster' || g)::uuid, 'commissioner' || g || '@bench.test',
             'Commissioner ' || g, 'commissioner', (ARRAY['kk', 'ru', 'en'])[1 + g % 3], false, 'bench-no-login',
             timestamptz '2024-01-01 00:00:00Z'
        FROM generate_series(1, 1000) g`,
    );
    // 90% of studios verified; each is interested in two genres.
    await run(
      'studios',
      `
      INSERT INTO organisations (id, name, kind, country, genres, verified_at, created_at, updated_at)
      SELECT md5('studio' || g)::uuid, (ARRAY['Студия ', 'Студиясы ', 'Studio '])[1 + g % 3] || g, 'studio', 'KZ',
             ARRAY[($1::text[])[1 + g % 8], ($1::text[])[1 + (g * 7 + 3) % 8]],
             CASE WHEN random() < 0.9 THEN timestamptz '2024-01-01 00:00:00Z' END, timestamptz '2024-01-01 00:00:00Z',
             timestamptz '2024-01-01 00:00:00Z'
        FROM generate_series(1, 10000) g`,
      [GENRES],
    );
    // Status mix: published 35% (25% open for bids, 10% past the deadline), draft 10%, closed 25%,
    // awarded 20%, cancelled 10%. created_at over two years, at millisecond precision.
    await run(
      'briefs',
      `
      INSERT INTO briefs (id, broadcaster_id, created_by, status, title, synopsis, genre, format, episodes,
                          episode_minutes, languages, budget_min, budget_max, currency, rights, delivery_spec,
                          questions_close_at, bids_close_at, delivery_due_at, criteria, visibility, published_at,
                          closed_at, cancelled_at, cancel_reason, created_at, updated_at)
      SELECT ${uuidOf(`md5('brief' || g)`)}, md5('broadcaster' || (1 + g % 1000))::uuid, md5('commissioner' || (1 + g % 1000))::uuid,
             st, title, synopsis, ($1::text[])[1 + floor(rg * 8)::int],
             (ARRAY['series', 'documentary', 'feature', 'format', 'short'])[1 + g % 5], 1 + g % 24, 25 + g % 4 * 10,
             ARRAY[lang], bmin, bmin * 5, 'KZT', $6::jsonb, $7::jsonb,
             CASE WHEN st <> 'draft' THEN close_at - interval '7 days' END,
             CASE WHEN st <> 'draft' THEN close_at END,
             CASE WHEN st <> 'draft' THEN close_at + interval '180 days' END,
             '[{"name":"price","weight":40},{"name":"team","weight":60}]'::jsonb, 'open',
             CASE WHEN st <> 'draft' THEN ca + interval '1 hour' END,
             CASE WHEN st IN ('closed', 'awarded') THEN close_at END,
             CASE WHEN st = 'cancelled' THEN ca + interval '2 days' END,
             CASE WHEN st = 'cancelled' THEN 'Budget withdrawn' END, ca,
             -- the last change the app made: publication, the close, the award or the cancellation
             CASE st WHEN 'draft' THEN ca WHEN 'published' THEN ca + interval '1 hour' WHEN 'closed' THEN close_at
                     WHEN 'awarded' THEN ${awardAt('close_at', 'g')} ELSE ca + interval '2 days' END
        FROM (
          SELECT g, rg, lang, ca, bmin, st,
                 CASE WHEN st = 'published' AND r < 0.25
                      THEN date_trunc('milliseconds', timestamptz '2030-01-01 00:00:00Z' + r * interval '365 days')
                      ELSE ca + interval '30 days' END AS close_at,
                 array_to_string(ARRAY(SELECT w[1 + floor(random() * 16)::int] FROM generate_series(1, 3 + g % 3)), ' ') AS title,
                 array_to_string(ARRAY(SELECT w[1 + floor(random() * 16)::int] FROM generate_series(1, 25 + g % 25)), ' ') || '.' AS synopsis
            FROM (
              SELECT g, r, rg, ln, lang, bmin,
                     CASE WHEN lang = 'kk' THEN $2::text[] WHEN lang = 'ru' THEN $3::text[] ELSE $4::text[] END AS w,
                     CASE WHEN r < 0.35 THEN 'published' WHEN r < 0.45 THEN 'draft' WHEN r < 0.70 THEN 'closed'
                          WHEN r < 0.90 THEN 'awarded' ELSE 'cancelled' END AS st,
                     date_trunc('milliseconds', timestamptz '2024-06-01 00:00:00Z' + rc * interval '730 days') AS ca
                FROM (
                  SELECT g, random() AS r, random() AS rg, random() AS rc, ln,
                         (ARRAY['kk', 'ru', 'en'])[1 + floor(ln * 3)::int] AS lang,
                         (1000000 + floor(random() * 500) * 100000)::bigint * 100 AS bmin
                    FROM (SELECT g, random() AS ln FROM generate_series(1, $5::int) g) s0
                ) s1
            ) s2
        ) s3`,
      [GENRES, WORDS.kk, WORDS.ru, WORDS.en, briefs, JSON.stringify(RIGHTS), JSON.stringify(DELIVERY_SPEC)],
    );
    // One producer per studio (a studio's bids and questions are its producer's).
    await run(
      'producers',
      `
      INSERT INTO users (id, organisation_id, email, full_name, role, language, email_notifications, password_hash,
                         created_at)
      SELECT md5('studio-user' || g)::uuid, md5('studio' || g)::uuid, 'producer' || g || '@bench.test',
             'Producer ' || g, 'producer', (ARRAY['kk', 'ru', 'en'])[1 + g % 3], false, 'bench-no-login',
             timestamptz '2024-01-01 00:00:00Z'
        FROM generate_series(1, 10000) g`,
    );
    if (activity) await seedActivity(c, run, briefs, totalBids);
    await run('commit', 'COMMIT');
    for (const t of TABLES) await run(`vacuum analyze ${t}`, `VACUUM ANALYZE ${t}`);
    for (const t of TABLES) {
      const { rows } = await c.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${t}`);
      counts[t] = rows[0]!.n;
    }
  } catch (err) {
    await c.query('ROLLBACK').catch(() => undefined);
    throw err;
  } finally {
    await c.end();
  }
  return { briefs, seconds: (Date.now() - t0) / 1000, counts, steps };
}

/**
 * Bids, questions, bid openings, contracts, milestones and signatures, as the app would have left
 * them, written directly (no outbox, notifications or audit events). Every value derives from
 * md5/sha256 of a counter, so it does not depend on row order.
 */
async function seedActivity(c: Client, run: Run, briefs: number, totalBids: number): Promise<void> {
  // Verified studios, numbered 0..V-1: bidders and askers are picked among them.
  await run(
    'verified studios',
    `
    CREATE TEMP TABLE seed_vs ON COMMIT DROP AS
    SELECT (row_number() OVER (ORDER BY g) - 1)::int AS k, g, o.id
      FROM generate_series(1, 10000) g JOIN organisations o ON o.id = md5('studio' || g)::uuid
     WHERE o.verified_at IS NOT NULL`,
  );
  await c.query('CREATE UNIQUE INDEX ON seed_vs (k)');
  const { rows } = await c.query<{ v: number }>('SELECT count(*)::int AS v FROM seed_vs');
  const v = rows[0]!.v;

  // The bid texts per language, JSON-quoted as in the canonical content (decision notes plain).
  await c.query(`
    CREATE TEMP TABLE seed_lang (lang text PRIMARY KEY, labels text[], titles text[], approaches text[],
                                 teams text[], schedule text, notes text[]) ON COMMIT DROP`);
  for (const [lang, t] of Object.entries(BID_TEXTS)) {
    const q = (xs: string[]): string[] => xs.map((x) => JSON.stringify(x));
    await c.query('INSERT INTO seed_lang VALUES ($1, $2, $3, $4, $5, $6, $7)', [
      lang,
      q(t.labels),
      q(t.titles),
      q(t.approaches),
      q(t.teams),
      JSON.stringify(t.schedule),
      t.notes,
    ]);
  }

  // Every non-draft brief with its number of bids n (integer weights 20..120, cumulated, so the
  // total is exactly totalBids), its bidders (studios start, start + stride, … mod V: distinct
  // because stride * (n - 1) < V), the winner's index jw, the award time and the ISO due dates of
  // the 3-, 4- and 5-milestone schedules.
  await run(
    'brief plan',
    `
    CREATE TEMP TABLE seed_briefs ON COMMIT DROP AS
    SELECT s.*,
           ${hx('s.h', 1)} % $3::int AS start,
           1 + ${hx('s.h', 2)} % greatest(1, ($3::int - 1) / greatest(s.n - 1, 1)) AS stride,
           ${hx('s.h', 3)} % greatest(s.n, 1) AS jw,
           ${awardAt('s.bids_close_at', 's.g')} AS award_at,
           ARRAY(SELECT ${iso(`date_trunc('day', s.bids_close_at) + make_interval(days => d)`)}
                   FROM unnest($4::int[]) WITH ORDINALITY AS u(d, o) ORDER BY o) AS dues
      FROM (
        SELECT a.*, ($2::bigint * sum(a.w) OVER (ORDER BY a.g) / sum(a.w) OVER ()
                     - $2::bigint * (sum(a.w) OVER (ORDER BY a.g) - a.w) / sum(a.w) OVER ())::int AS n
          FROM (
            SELECT g, b.id, b.status, b.languages[1] AS lang, b.broadcaster_id, b.created_by, b.budget_min,
                   b.budget_max, b.published_at, b.questions_close_at, b.bids_close_at,
                   b.status = 'published' AND b.bids_close_at >= timestamptz '${OPEN_FROM}' AS open,
                   -- bids come in while the brief is open (the first 30 days of an open one)
                   CASE WHEN b.status = 'cancelled' THEN b.cancelled_at
                        ELSE least(b.bids_close_at, b.published_at + interval '30 days') END AS bids_until,
                   md5('brief-h' || g) AS h, md5('brief-h2' || g) AS h2,
                   20 + ${hx(`md5('brief-w' || g)`, 0)} % 101 AS w
              FROM generate_series(1, $1::int) g JOIN briefs b ON b.id = ${uuidOf(`md5('brief' || g)`)}
             WHERE b.status <> 'draft'
          ) a
      ) s`,
    [briefs, totalBids, v, [...DUE_DAYS[3]!, ...DUE_DAYS[4]!, ...DUE_DAYS[5]!]],
  );
  await c.query('ANALYZE seed_briefs');

  // Bids, in submission order. Open brief: submitted. Past the deadline, closed or cancelled:
  // submitted, 6% withdrawn. Awarded: the winner awarded, the others rejected (about half, some
  // with a note) or still submitted, 6% withdrawn. Content is canonical JSON (keys sorted, no
  // whitespace) as contentOf() builds it, and the receipt is its real commitment:
  // sha256(nonce || '.' || canonical JSON). A withdrawn bid has no receipt (version 2).
  // The sort is over narrow rows; the texts and due dates are joined after it (hash joins keep
  // the order of their outer side).
  await run(
    'bids',
    `
    INSERT INTO bids (id, brief_id, studio_id, status, version, price_amount, currency, content, over_budget,
                      commitment, nonce, submitted_at, decision_note, created_at, updated_at)
    SELECT id, brief_id, studio_id, status, version, price, 'KZT', canon::jsonb, price > budget_max,
           CASE WHEN status <> 'withdrawn' THEN encode(sha256(convert_to(nonce || '.' || canon, 'UTF8')), 'hex') END,
           CASE WHEN status <> 'withdrawn' THEN nonce END,
           CASE WHEN status <> 'withdrawn' THEN submitted_at END,
           decision_note, created_at, updated_at
      FROM (
        SELECT z.*, CASE WHEN z.note > 0 THEN l.notes[z.note] END AS decision_note,
               encode(sha256(convert_to('bid-nonce' || z.g || '-' || z.j, 'UTF8')), 'hex') AS nonce,
               concat('{"breakdown":[{"amount":{"amount":', z.b1, ',"currency":"KZT"},"label":', l.labels[1],
                      '},{"amount":{"amount":', z.b2, ',"currency":"KZT"},"label":', l.labels[2],
                      '},{"amount":{"amount":', z.price - z.b1 - z.b2, ',"currency":"KZT"},"label":', l.labels[3],
                      '}],"creativeApproach":', l.approaches[z.approach], ',"milestones":', ${milestonesSql()},
                      ',"price":{"amount":', z.price, ',"currency":"KZT"}',
                      CASE WHEN z.scheduled THEN ',"productionSchedule":' || l.schedule END,
                      ',"team":', l.teams[z.team], '}') AS canon
          FROM (
            SELECT y.g, y.j, y.lang, y.id, y.brief_id, y.studio_id, y.status, y.price, y.budget_max, y.submitted_at,
                   CASE WHEN y.status = 'withdrawn' THEN 2 ELSE 1 END AS version,
                   y.price * (40 + ${hx('y.s', 0)} % 21) / 100 AS b1,
                   y.price * (20 + ${hx('y.s', 1)} % 16) / 100 AS b2,
                   ${hx('y.s', 2)} % 9 AS t,
                   1 + ${hx('y.s', 3)} % 3 AS approach,
                   1 + ${hx('y.s', 3)} / 3 % 2 AS team,
                   ${hx('y.s', 3)} / 6 % 2 = 0 AS scheduled,
                   CASE WHEN y.status = 'rejected' AND ${hx('y.r', 2)} % 3 > 0 THEN 1 + ${hx('y.r', 2)} % 2 ELSE 0 END AS note,
                   date_trunc('milliseconds', y.published_at + (y.submitted_at - y.published_at) * ${fx('y.n2', 0)}) AS created_at,
                   CASE y.status
                     WHEN 'submitted' THEN y.submitted_at
                     WHEN 'withdrawn' THEN date_trunc('milliseconds', y.submitted_at + (y.bids_until - y.submitted_at) * ${fx('y.n2', 1)})
                     WHEN 'awarded' THEN y.award_at
                     ELSE date_trunc('milliseconds', y.bids_close_at + (y.award_at - y.bids_close_at) * ${fx('y.n2', 1)})
                   END AS updated_at
              FROM (
                SELECT x.*, ${uuidOf('x.idh')} AS id, vs.id AS studio_id,
                       CASE WHEN NOT x.open AND NOT x.winner AND ${hx('x.r', 0)} % 100 < 6 THEN 'withdrawn'
                            WHEN x.winner THEN 'awarded'
                            WHEN x.brief_status = 'awarded' AND ${hx('x.r', 0)} % 100 < 55 THEN 'rejected'
                            ELSE 'submitted' END AS status,
                       x.budget_min / 100000 * (80 + ${hx('x.r', 1)} % 441) / 100 * 100000 AS price,
                       date_trunc('milliseconds',
                                  x.published_at + (x.bids_until - x.published_at) * (0.01::float8 + 0.98::float8 * ${fx('x.r', 3)})) AS submitted_at,
                       md5('bid-n2' || x.key) AS n2
                  FROM (
                    SELECT sb.g, j, md5('bid' || sb.g || '-' || j) AS idh, sb.g || '-' || j AS key, sb.id AS brief_id,
                           sb.status AS brief_status, sb.open, sb.lang, sb.budget_min, sb.budget_max, sb.published_at,
                           sb.bids_until, sb.bids_close_at, sb.award_at,
                           sb.status = 'awarded' AND j = sb.jw AS winner,
                           (sb.start + j * sb.stride) % $1::int AS k,
                           md5('bid-r' || sb.g || '-' || j) AS r, md5('bid-s' || sb.g || '-' || j) AS s
                      FROM seed_briefs sb CROSS JOIN LATERAL generate_series(0, sb.n - 1) j
                    OFFSET 0
                  ) x
                  JOIN seed_vs vs ON vs.k = x.k
                OFFSET 0
              ) y
             ORDER BY y.submitted_at, y.id
          ) z
          JOIN seed_lang l ON l.lang = z.lang
          JOIN seed_briefs sb ON sb.g = z.g
      ) w`,
    [v],
  );

  // The bid opening recorded at the deadline of every closed or awarded brief: the commitments of
  // the bids submitted then (all but the withdrawn), ordered by commitment as closeIn() does.
  // (A published brief past its deadline gets its opening from the app at the first read.)
  await run(
    'bid openings',
    `
    INSERT INTO bid_openings (brief_id, opened_at, commitments, created_at)
    SELECT sb.id, sb.bids_close_at,
           coalesce(jsonb_agg(jsonb_build_object('bidId', x.id, 'commitment', x.commitment) ORDER BY x.commitment)
                      FILTER (WHERE x.id IS NOT NULL), '[]'),
           sb.bids_close_at
      FROM seed_briefs sb LEFT JOIN bids x ON x.brief_id = sb.id AND x.status <> 'withdrawn'
     WHERE sb.status IN ('closed', 'awarded')
     GROUP BY sb.id, sb.bids_close_at
     ORDER BY sb.bids_close_at, sb.id`,
  );

  // 0–6 questions per published or closed brief, asked by verified studios' producers before the
  // questions deadline, in the brief's language (Kazakh or Russian for an English brief); about
  // half answered by the brief's commissioner.
  await run(
    'questions',
    `
    INSERT INTO questions (id, brief_id, studio_id, asked_by, text, asked_at, answer_text, answered_at, answered_by)
    SELECT id, brief_id, studio_id, asked_by, text, asked_at, answer_text,
           CASE WHEN answer_text IS NOT NULL
                THEN asked_at + make_interval(hours => 1 + ${hx('r', 3)} % 72, mins => ${hx('r', 3)} / 72 % 60) END,
           CASE WHEN answer_text IS NOT NULL THEN created_by END
      FROM (
        SELECT q.id, q.brief_id, vs.id AS studio_id, md5('studio-user' || vs.g)::uuid AS asked_by, q.r, q.created_by,
               CASE WHEN q.kk THEN ($2::text[])[1 + ${hx('q.r', 0)} % 8] ELSE ($3::text[])[1 + ${hx('q.r', 0)} % 8] END AS text,
               CASE WHEN ${hx('q.r', 1)} % 2 = 0
                    THEN CASE WHEN q.kk THEN ($4::text[])[1 + ${hx('q.r', 1)} / 2 % 4]
                              ELSE ($5::text[])[1 + ${hx('q.r', 1)} / 2 % 4] END END AS answer_text,
               date_trunc('milliseconds', q.published_at
                 + least(q.questions_close_at - q.published_at, interval '20 days') * ${fx('q.r', 2)}) AS asked_at
          FROM (
            SELECT ${uuidOf(`md5('question' || sb.g || '-' || i)`)} AS id, sb.id AS brief_id, sb.created_by, sb.published_at,
                   sb.questions_close_at, md5('question-r' || sb.g || '-' || i) AS r,
                   sb.lang = 'kk' OR (sb.lang = 'en' AND i % 2 = 0) AS kk,
                   (${hx('sb.h2', 2)} % $1::int + i * (1 + ${hx('sb.h2', 3)} % greatest(1, ($1::int - 1) / 7))) % $1::int AS k
              FROM seed_briefs sb CROSS JOIN LATERAL generate_series(1, ${hx(`md5('questions' || sb.g)`, 0)} % 7) i
             WHERE sb.status IN ('published', 'closed')
            OFFSET 0
          ) q
          JOIN seed_vs vs ON vs.k = q.k
         ORDER BY asked_at, id
      ) a`,
    [v, QUESTIONS.kk, QUESTIONS.ru, ANSWERS.kk, ANSWERS.ru],
  );

  // Awarded briefs: the contract of the awarded bid. 4% still draft (awaiting signatures,
  // half signed by the broadcaster); a contract whose last milestone was due before AS_OF is
  // completed 36% of the time (every milestone paid); the rest active (signed by both parties,
  // activated at the second signature) with the milestones due well before AS_OF paid.
  await run(
    'awards',
    `
    CREATE TEMP TABLE seed_awards ON COMMIT DROP AS
    SELECT a.*,
           CASE WHEN ${hx('a.h', 0)} % 100 < 4 THEN 'draft'
                WHEN a.last_due < timestamptz '${AS_OF}' AND ${hx('a.h', 0)} % 100 < 40 THEN 'completed'
                ELSE 'active' END AS cstatus
      FROM (
        SELECT sb.g, ${uuidOf(`md5('contract' || sb.g)`)} AS contract_id, sb.id AS brief_id, x.id AS bid_id,
               sb.broadcaster_id, sb.created_by, x.studio_id, vs.g AS studio_g, x.price_amount, x.content,
               sb.award_at, (x.content -> 'milestones' -> -1 ->> 'dueAt')::timestamptz AS last_due,
               md5('contract-h' || sb.g) AS h,
               sb.award_at + make_interval(days => 1, hours => ${hx(`md5('contract-h' || sb.g)`, 1)} % 24) AS broadcaster_signed_at,
               sb.award_at + make_interval(days => 2, hours => ${hx(`md5('contract-h' || sb.g)`, 2)} % 24) AS studio_signed_at
          FROM seed_briefs sb
          JOIN bids x ON x.id = ${uuidOf(`md5('bid' || sb.g || '-' || sb.jw)`)}
          JOIN seed_vs vs ON vs.id = x.studio_id
         WHERE sb.status = 'awarded'
      ) a`,
  );
  await run(
    'contracts',
    `
    INSERT INTO contracts (id, brief_id, bid_id, broadcaster_id, studio_id, status, value_amount, currency, rights,
                           delivery_spec, activated_at, created_at, updated_at)
    SELECT a.contract_id, a.brief_id, a.bid_id, a.broadcaster_id, a.studio_id, a.cstatus, a.price_amount, b.currency,
           b.rights, b.delivery_spec,
           CASE WHEN a.cstatus <> 'draft' THEN a.studio_signed_at END,
           a.award_at,
           CASE a.cstatus WHEN 'draft' THEN a.award_at WHEN 'active' THEN a.studio_signed_at
                ELSE a.last_due + interval '5 days' END
      FROM seed_awards a JOIN briefs b ON b.id = a.brief_id
     ORDER BY a.award_at, a.contract_id`,
  );
  // splitByShares(): each part rounded down, the remainder to the last. (The deferred trigger
  // milestones_sum_to_value checks the sums at COMMIT.)
  await run(
    'milestones',
    `
    INSERT INTO milestones (id, contract_id, sequence, title, amount, due_at, status, submitted_at, reviewed_at,
                            created_at)
    SELECT ${uuidOf(`md5('milestone' || g || '-' || seq)`)}, contract_id, seq, title,
           CASE WHEN seq = cnt THEN price_amount - (sum(part) OVER w - part) ELSE part END,
           due_at, st,
           CASE WHEN st = 'paid' THEN due_at - interval '3 days' END,
           CASE WHEN st = 'paid' THEN due_at - interval '1 day' END,
           award_at
      FROM (
        SELECT a.g, a.contract_id, e.seq::int AS seq, e.m ->> 'title' AS title, a.price_amount,
               a.price_amount * (e.m ->> 'share')::int / 100 AS part, (e.m ->> 'dueAt')::timestamptz AS due_at,
               count(*) OVER (PARTITION BY a.contract_id) AS cnt, a.award_at,
               CASE WHEN a.cstatus = 'completed' THEN 'paid'
                    WHEN a.cstatus = 'active' AND e.seq < jsonb_array_length(a.content -> 'milestones')
                     AND (e.m ->> 'dueAt')::timestamptz
                         < timestamptz '${AS_OF}' - make_interval(days => ${hx('a.h', 3)} % 60) THEN 'paid'
                    ELSE 'pending' END AS st
          FROM seed_awards a CROSS JOIN LATERAL jsonb_array_elements(a.content -> 'milestones') WITH ORDINALITY e(m, seq)
      ) s
    WINDOW w AS (PARTITION BY contract_id)`,
  );
  // Signatures on the terms hash the app computes (termsHash(): canonical JSON of parties, value,
  // rights, delivery spec and milestones).
  await run(
    'signatures',
    `
    INSERT INTO contract_signatures (id, contract_id, party, user_id, terms_hash, signed_at)
    SELECT ${uuidOf(`md5('signature' || a.g || '-' || p.party)`)}, a.contract_id, p.party,
           CASE p.party WHEN 'broadcaster' THEN a.created_by ELSE md5('studio-user' || a.studio_g)::uuid END,
           t.terms_hash,
           CASE p.party WHEN 'broadcaster' THEN a.broadcaster_signed_at ELSE a.studio_signed_at END
      FROM seed_awards a
      JOIN (
        SELECT ct.id,
               encode(sha256(convert_to(
                 '{"broadcasterId":"' || ct.broadcaster_id || '","deliverySpec":' || $1::text || ',"milestones":['
                 || string_agg('{"amount":{"amount":' || m.amount || ',"currency":"' || ct.currency || '"},"dueAt":"'
                               || ${iso('m.due_at')} || '","sequence":' || m.sequence || ',"title":'
                               || to_json(m.title)::text || '}', ',' ORDER BY m.sequence)
                 || '],"rights":' || $2::text || ',"studioId":"' || ct.studio_id || '","value":{"amount":'
                 || ct.value_amount || ',"currency":"' || ct.currency || '"}}', 'UTF8')), 'hex') AS terms_hash
          FROM contracts ct JOIN milestones m ON m.contract_id = ct.id
         GROUP BY ct.id
      ) t ON t.id = a.contract_id
      CROSS JOIN (VALUES ('broadcaster'), ('studio')) p(party)
     WHERE a.cstatus <> 'draft' OR (p.party = 'broadcaster' AND ${hx('a.h', 2)} % 2 = 0)
     ORDER BY 6, 1`,
    [canonicalJson(DELIVERY_SPEC), canonicalJson(RIGHTS)],
  );
}

/** A verified studio of the seed interested in `genre` (studio g is verified iff its random() < 0.9). */
export async function verifiedStudio(databaseUrl: string): Promise<string> {
  const c = new Client({ connectionString: databaseUrl });
  await c.connect();
  try {
    const { rows } = await c.query<{ id: string }>(
      `SELECT id FROM organisations WHERE kind = 'studio' AND verified_at IS NOT NULL ORDER BY name LIMIT 1`,
    );
    return rows[0]!.id;
  } finally {
    await c.end();
  }
}

/**
 * For the scenario "commissioner reads one brief with its questions": `count` published or closed
 * briefs with at least 3 questions (the first by id, so always the same ones), each with its
 * broadcaster and that broadcaster's commissioner (md5('commissioner' || k), the brief's author).
 */
export async function sampleBriefForCommissioner(
  databaseUrl: string,
  count = 20,
): Promise<{ briefId: string; broadcasterId: string; commissionerId: string }[]> {
  const c = new Client({ connectionString: databaseUrl });
  await c.connect();
  try {
    const { rows } = await c.query<{ briefId: string; broadcasterId: string; commissionerId: string }>(
      `SELECT b.id AS "briefId", b.broadcaster_id AS "broadcasterId", b.created_by AS "commissionerId"
         FROM briefs b
        WHERE b.status IN ('published', 'closed')
          AND (SELECT count(*) FROM questions q WHERE q.brief_id = b.id) >= 3
        ORDER BY b.id
        LIMIT $1`,
      [count],
    );
    return rows;
  } finally {
    await c.end();
  }
}

if (require.main === module) {
  const [url, n] = process.argv.slice(2);
  if (!url) {
    console.error('usage: bench/seed.ts <database-url> [briefs=10000]');
    process.exit(2);
  }
  seed(url, n ? Number(n) : 10_000)
    .then((r) => {
      console.log(`seeded ${r.briefs} briefs in ${r.seconds.toFixed(1)} s`);
      console.log(r.steps.map((s) => `${s.step} ${s.seconds.toFixed(1)} s`).join(', '));
      console.log(
        Object.entries(r.counts)
          .map(([t, k]) => `${t} ${k}`)
          .join(', '),
      );
    })
    .catch((err: unknown) => {
      console.error(err);
      process.exit(1);
    });
}
