// Deterministic dataset for the read benchmarks, written with set-based SQL into a database the
// app has already migrated. Ids come from md5() of a counter and every random() is seeded, so
// two seeds of the same size are identical (run with no parallel workers, so row order is fixed).
//
//   ts-node --transpile-only bench/seed.ts <database-url> [briefs=10000]
import { Client } from 'pg';

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

export interface SeedResult {
  briefs: number;
  seconds: number;
}

/** Seeds `briefs` briefs, 1,000 broadcasters (one commissioner each) and 10,000 studios. */
export async function seed(databaseUrl: string, briefs = 10_000): Promise<SeedResult> {
  const t0 = Date.now();
  const c = new Client({ connectionString: databaseUrl });
  await c.connect();
  try {
    await c.query('SET max_parallel_workers_per_gather = 0');
    await c.query('BEGIN');
    await c.query('SELECT setseed(0.42)');
    await c.query(`
      INSERT INTO organisations (id, name, kind, country, genres, verified_at, created_at)
      SELECT md5('broadcaster' || g)::uuid,
             (ARRAY['Арна ', 'Телеканал ', 'Channel '])[1 + g % 3] || g, 'broadcaster', 'KZ', '{}',
             timestamptz '2024-01-01 00:00:00Z', timestamptz '2024-01-01 00:00:00Z'
        FROM generate_series(1, 1000) g`);
    await c.query(`
      INSERT INTO users (id, organisation_id, email, full_name, role, language, email_notifications, password_hash)
      SELECT md5('commissioner' || g)::uuid, md5('broadcaster' || g)::uuid, 'commissioner' || g || '@bench.test',
             'Commissioner ' || g, 'commissioner', (ARRAY['kk', 'ru', 'en'])[1 + g % 3], false, 'bench-no-login'
        FROM generate_series(1, 1000) g`);
    // 90% of studios verified; each is interested in two genres.
    await c.query(
      `
      INSERT INTO organisations (id, name, kind, country, genres, verified_at, created_at)
      SELECT md5('studio' || g)::uuid, (ARRAY['Студия ', 'Студиясы ', 'Studio '])[1 + g % 3] || g, 'studio', 'KZ',
             ARRAY[($1::text[])[1 + g % 8], ($1::text[])[1 + (g * 7 + 3) % 8]],
             CASE WHEN random() < 0.9 THEN timestamptz '2024-01-01 00:00:00Z' END, timestamptz '2024-01-01 00:00:00Z'
        FROM generate_series(1, 10000) g`,
      [GENRES],
    );
    // Status mix: published 35% (25% open for bids, 10% past the deadline), draft 10%, closed 25%,
    // awarded 20%, cancelled 10%. created_at over two years, at millisecond precision.
    await c.query(
      `
      INSERT INTO briefs (id, broadcaster_id, created_by, status, title, synopsis, genre, format, episodes,
                          episode_minutes, languages, budget_min, budget_max, currency, rights, delivery_spec,
                          questions_close_at, bids_close_at, delivery_due_at, criteria, visibility, published_at,
                          cancelled_at, cancel_reason, created_at, updated_at)
      SELECT md5('brief' || g)::uuid, md5('broadcaster' || (1 + g % 1000))::uuid, md5('commissioner' || (1 + g % 1000))::uuid,
             st, title, synopsis, ($1::text[])[1 + floor(rg * 8)::int],
             (ARRAY['series', 'documentary', 'feature', 'format', 'short'])[1 + g % 5], 1 + g % 24, 25 + g % 4 * 10,
             ARRAY[lang], bmin, bmin * 5, 'KZT',
             '{"territories":["KZ"],"licenceYears":3,"runs":2,"platforms":["linear"]}'::jsonb,
             '{"notes":"ProRes 422 HQ, stereo"}'::jsonb,
             CASE WHEN st <> 'draft' THEN close_at - interval '7 days' END,
             CASE WHEN st <> 'draft' THEN close_at END,
             CASE WHEN st <> 'draft' THEN close_at + interval '180 days' END,
             '[{"name":"price","weight":40},{"name":"team","weight":60}]'::jsonb, 'open',
             CASE WHEN st <> 'draft' THEN ca + interval '1 hour' END,
             CASE WHEN st = 'cancelled' THEN ca + interval '2 days' END,
             CASE WHEN st = 'cancelled' THEN 'Budget withdrawn' END, ca, ca
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
      [GENRES, WORDS.kk, WORDS.ru, WORDS.en, briefs],
    );
    await c.query('COMMIT');
    await c.query('VACUUM ANALYZE organisations');
    await c.query('VACUUM ANALYZE users');
    await c.query('VACUUM ANALYZE briefs');
  } catch (err) {
    await c.query('ROLLBACK').catch(() => undefined);
    throw err;
  } finally {
    await c.end();
  }
  return { briefs, seconds: (Date.now() - t0) / 1000 };
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

if (require.main === module) {
  const [url, n] = process.argv.slice(2);
  if (!url) {
    console.error('usage: bench/seed.ts <database-url> [briefs=10000]');
    process.exit(2);
  }
  seed(url, n ? Number(n) : 10_000)
    .then((r) => console.log(`seeded ${r.briefs} briefs in ${r.seconds.toFixed(1)} s`))
    .catch((err: unknown) => {
      console.error(err);
      process.exit(1);
    });
}
