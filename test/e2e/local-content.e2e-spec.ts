import type { Response } from 'supertest';
import { bearer, loginOperator, type Actor } from '../factories';
import {
  bidBody,
  createBroadcaster,
  createStudio,
  deliverAndAccept,
  draftContracts,
  signCurrentTerms,
  type Broadcaster,
  type Studio,
} from '../factories/commissioning';
import { api, startApp, type TestApp } from '../utils/app';
import { expectProblem } from '../utils/expect';

interface AudioLanguage {
  language: string;
  minutes: number;
}

/** One contract of the fixture, as the broadcaster commissions it. */
interface Fixture {
  name: string;
  studio: 'kz1' | 'kz2' | 'foreign';
  episodes: number;
  episodeMinutes: number;
  /** The brief's audio languages. */
  brief: AudioLanguage[];
  /** What the broadcaster sets on the draft contract instead (PUT /contracts/{id}/audio-languages). */
  contract?: AudioLanguage[];
  /** KZT tiyn. */
  price: number;
  /** Milestones of the bid (equal shares) and how many of them are accepted. */
  milestones: 1 | 2;
  accept: 0 | 1 | 2;
  state: 'signed' | 'draft' | 'terminated';
  /** When it is taken to have been signed (activated_at), for the 2025 report. */
  signedAt?: string;
}

// The ten contracts of broadcaster B (plus one signed and then terminated). kz1 and kz2 are
// studios registered in KZ with a valid BIN (domestic); `foreign` is registered in RU.
//
//   name                 studio   ep × min  audio (per episode)      minutes  kk    price (M KZT)  state
//   c1  kazakh series    kz1      10 × 50   kk 50                    500      500   60             signed, accepted
//   c2  ru + kk subs     kz1       8 × 26   ru 26 (Kazakh subtitles) 208        0   45             signed
//   c3  multilingual     kz2       6 × 44   kk 30 + ru 14            264      180   70             signed, accepted
//   c4  foreign ru       foreign  12 × 45   ru 45                    540        0   90             signed
//   c5  kazakh film      kz2       1 × 90   kk 90                     90       90   55             signed
//   c6  foreign dub kk   foreign  20 × 24   kk 24                    480      480   80             signed
//   c7  confirmed        kz1      16 × 52   brief kk 52, contract    832      192  100             signed
//                                           ru 40 + kk 12
//   c8  half delivered   kz2      24 × 22   kk 22                    528      528   65             signed, 1 of 2 accepted
//   c9  english          kz1      30 × 25   en 25                    750        0   50             signed
//   c10 unsigned         kz2       5 × 60   kk 60                   (300)    (300)  (75)           draft: not counted
//   c11 terminated       kz1       4 × 30   kk 30                   (120)    (120)  (40)           signed, terminated: not counted
//
// Counted (c1–c9): T = 4192 minutes, K = 1970; domestic 3172 min / 445 M KZT, foreign (c4, c6)
// 1020 min / 170 M KZT; spend 615 M KZT. Accepted (c1, c3): 764 minutes, 680 Kazakh.
const M = 1_000_000_00; // one million KZT in tiyn
const FIXTURE: Fixture[] = [
  {
    name: 'c1',
    studio: 'kz1',
    episodes: 10,
    episodeMinutes: 50,
    brief: [{ language: 'kk', minutes: 50 }],
    price: 60 * M,
    milestones: 1,
    accept: 1,
    state: 'signed',
    signedAt: '2025-01-01T00:00:00.000Z', // the first instant of the year counts
  },
  {
    name: 'c2',
    studio: 'kz1',
    episodes: 8,
    episodeMinutes: 26,
    brief: [{ language: 'ru', minutes: 26 }],
    price: 45 * M,
    milestones: 1,
    accept: 0,
    state: 'signed',
    signedAt: '2025-02-14T09:00:00.000Z',
  },
  {
    name: 'c3',
    studio: 'kz2',
    episodes: 6,
    episodeMinutes: 44,
    brief: [
      { language: 'kk', minutes: 30 },
      { language: 'ru', minutes: 14 },
    ],
    price: 70 * M,
    milestones: 1,
    accept: 1,
    state: 'signed',
    signedAt: '2025-03-03T12:00:00.000Z',
  },
  {
    name: 'c4',
    studio: 'foreign',
    episodes: 12,
    episodeMinutes: 45,
    brief: [{ language: 'ru', minutes: 45 }],
    price: 90 * M,
    milestones: 1,
    accept: 0,
    state: 'signed',
    signedAt: '2025-04-20T08:30:00.000Z',
  },
  {
    name: 'c5',
    studio: 'kz2',
    episodes: 1,
    episodeMinutes: 90,
    brief: [{ language: 'kk', minutes: 90 }],
    price: 55 * M,
    milestones: 1,
    accept: 0,
    state: 'signed',
    signedAt: '2025-06-01T10:00:00.000Z',
  },
  {
    name: 'c6',
    studio: 'foreign',
    episodes: 20,
    episodeMinutes: 24,
    brief: [{ language: 'kk', minutes: 24 }],
    price: 80 * M,
    milestones: 1,
    accept: 0,
    state: 'signed',
    signedAt: '2025-07-15T15:00:00.000Z',
  },
  {
    name: 'c7',
    studio: 'kz1',
    episodes: 16,
    episodeMinutes: 52,
    brief: [{ language: 'kk', minutes: 52 }],
    contract: [
      { language: 'ru', minutes: 40 },
      { language: 'kk', minutes: 12 },
    ],
    price: 100 * M,
    milestones: 1,
    accept: 0,
    state: 'signed',
    signedAt: '2025-09-09T09:09:09.000Z',
  },
  {
    name: 'c8',
    studio: 'kz2',
    episodes: 24,
    episodeMinutes: 22,
    brief: [{ language: 'kk', minutes: 22 }],
    price: 65 * M,
    milestones: 2,
    accept: 1,
    state: 'signed',
    signedAt: '2025-11-30T18:00:00.000Z',
  },
  {
    name: 'c9',
    studio: 'kz1',
    episodes: 30,
    episodeMinutes: 25,
    brief: [{ language: 'en', minutes: 25 }],
    price: 50 * M,
    milestones: 1,
    accept: 0,
    state: 'signed',
    signedAt: '2025-12-31T23:59:59.999Z', // the last instant of the year counts
  },
  {
    name: 'c10',
    studio: 'kz2',
    episodes: 5,
    episodeMinutes: 60,
    brief: [{ language: 'kk', minutes: 60 }],
    price: 75 * M,
    milestones: 1,
    accept: 0,
    state: 'draft',
  },
  {
    name: 'c11',
    studio: 'kz1',
    episodes: 4,
    episodeMinutes: 30,
    brief: [{ language: 'kk', minutes: 30 }],
    price: 40 * M,
    milestones: 1,
    accept: 0,
    state: 'terminated',
    signedAt: '2025-05-05T05:05:05.000Z',
  },
];

/** The counted contracts' figures, by hand from the table above. */
const COUNTED = {
  c1: { minutes: 500, kazakh: 500, domestic: true, accepted: true },
  c2: { minutes: 208, kazakh: 0, domestic: true, accepted: false },
  c3: { minutes: 264, kazakh: 180, domestic: true, accepted: true },
  c4: { minutes: 540, kazakh: 0, domestic: false, accepted: false },
  c5: { minutes: 90, kazakh: 90, domestic: true, accepted: false },
  c6: { minutes: 480, kazakh: 480, domestic: false, accepted: false },
  c7: { minutes: 832, kazakh: 192, domestic: true, accepted: false },
  c8: { minutes: 528, kazakh: 528, domestic: true, accepted: false },
  c9: { minutes: 750, kazakh: 0, domestic: true, accepted: false },
} as const;
const T = 4192; // 500 + 208 + 264 + 540 + 90 + 480 + 832 + 528 + 750
const K = 1970; // 500 + 180 + 90 + 480 + 192 + 528

const kzt = (amount: number): { amount: number; currency: string } => ({ amount, currency: 'KZT' });

/** The commissioned and accepted figures, the same in 2025 and (after the move) in 2027. */
const COMMISSIONED = {
  contracts: 9,
  minutes: T,
  spend: kzt(615 * M), // 60 + 45 + 70 + 90 + 55 + 80 + 100 + 65 + 50
  domestic: { minutes: 3172, spend: kzt(445 * M) }, // c1 c2 c3 c5 c7 c8 c9
  foreign: { minutes: 1020, spend: kzt(170 * M) }, // c4 540 + c6 480; 90 + 80
  domesticShare: 0.7567, // 3172 / 4192 = 0.756679…
  kazakhMinutes: K,
  kazakhShare: 0.4699, // 1970 / 4192 = 0.469942…
};
const ACCEPTED = {
  contracts: 2, // c1 and c3; c8 has one of its two milestones accepted
  minutes: 764, // 500 + 264
  kazakhMinutes: 680, // 500 + 180
  kazakhShare: 0.8901, // 680 / 764 = 0.890052…
};
// 2025, p = 0.55: p·T − K = 2305.6 − 1970 = 335.6 → replacement 336; / 0.45 = 745.8 → all new 746.
const NEEDED_2025 = { allNew: 746, replacement: 336 };
// 2027, p = 0.60: p·T − K = 2515.2 − 1970 = 545.2 → replacement 546; / 0.4 = 1363 exactly (not 1364).
const NEEDED_2027 = { allNew: 1363, replacement: 546 };

/** The CSV body as rows of cells (the report's cells hold no comma, quote or line break). */
function csvRows(res: Response): string[][] {
  expect(res.status).toBe(200);
  expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
  expect(res.text).not.toContain('"');
  return res.text
    .replace(/^\uFEFF/, '')
    .split(/\r?\n/)
    .filter((line) => line !== '')
    .map((line) => line.split(','));
}

describe('Local-content report', () => {
  let t: TestApp;
  let b: Broadcaster;
  let other: Broadcaster;
  let studios: Record<Fixture['studio'], Studio>;
  let operator: Actor;
  /** Contract id by fixture name. */
  const ids: Record<string, string> = {};
  let otherContract: string;
  let c7HashBefore: string;

  const get = (who: Actor, query: string) =>
    t
      .http()
      .get(api(`/reports/local-content${query}`))
      .set(...bearer(who));
  const putAudio = (who: Actor, contractId: string, audioLanguages: unknown): Promise<Response> =>
    t
      .http()
      .put(api(`/contracts/${contractId}/audio-languages`))
      .set(...bearer(who))
      .send({ audioLanguages });
  const dueIn = (days: number): string => new Date(Date.now() + days * 86400 * 1000).toISOString();

  beforeAll(async () => {
    t = await startApp({ BRIEF_MIN_BID_WINDOW_SECONDS: '0' });
    let kz1: Studio, kz2: Studio, foreign: Studio;
    [b, other, kz1, kz2, foreign, operator] = await Promise.all([
      createBroadcaster(t),
      createBroadcaster(t),
      createStudio(t),
      createStudio(t),
      createStudio(t, { country: 'RU' }),
      loginOperator(t),
    ]);
    studios = { kz1, kz2, foreign };
    const schedule = (n: 1 | 2): Record<string, unknown> => ({
      milestones:
        n === 1
          ? [{ title: 'Master', share: 100, dueAt: dueIn(90) }]
          : [
              { title: 'Rough cut', share: 50, dueAt: dueIn(60) },
              { title: 'Master', share: 50, dueAt: dueIn(120) },
            ],
    });
    const drafts = await draftContracts(t, [
      ...FIXTURE.map((f) => ({
        broadcaster: b,
        studio: studios[f.studio],
        bid: bidBody(f.price, schedule(f.milestones)),
        brief: { episodes: f.episodes, episodeMinutes: f.episodeMinutes, audioLanguages: f.brief },
      })),
      // The other broadcaster's one contract: 2 × 30 minutes, all Kazakh.
      {
        broadcaster: other,
        studio: kz1,
        bid: bidBody(30 * M, schedule(1)),
        brief: { episodes: 2, episodeMinutes: 30, audioLanguages: [{ language: 'kk', minutes: 30 }] },
      },
    ]);
    FIXTURE.forEach((f, i) => (ids[f.name] = drafts[i]!.contractId));
    otherContract = drafts[FIXTURE.length]!.contractId;

    // c7: the broadcaster signs, then changes the audio languages: the signature is cleared.
    const c7 = await t
      .http()
      .get(api(`/contracts/${ids.c7}`))
      .set(...bearer(b.commissioner));
    c7HashBefore = c7.body.termsHash;
    await t
      .http()
      .post(api(`/contracts/${ids.c7}/sign`))
      .set(...bearer(b.commissioner))
      .send({ termsHash: c7HashBefore })
      .expect(200);
    const changed = await putAudio(b.commissioner, ids.c7!, FIXTURE[6]!.contract);
    expect(changed.status).toBe(200);
    expect(changed.body.signatures).toEqual([]);

    await Promise.all([
      ...FIXTURE.filter((f) => f.state !== 'draft').map(async (f) => {
        const signed = await signCurrentTerms(t, b, studios[f.studio], ids[f.name]!);
        for (const m of signed.milestones.slice(0, f.accept)) {
          await deliverAndAccept(t, b, studios[f.studio], m.id);
        }
        if (f.state === 'terminated') {
          await t
            .http()
            .post(api(`/contracts/${ids[f.name]}/terminate`))
            .set(...bearer(b.commissioner))
            .send({ reason: 'The channel dropped the format' })
            .expect(200);
        }
      }),
      signCurrentTerms(t, other, kz1, otherContract),
    ]);
    // The signatures happened today; the fixture dates them in 2025.
    for (const f of FIXTURE.filter((x) => x.signedAt)) {
      await t.db.query('UPDATE contracts SET activated_at = $2 WHERE id = $1', [ids[f.name], f.signedAt]);
    }
    await t.db.query(`UPDATE contracts SET activated_at = '2025-08-01T00:00:00Z' WHERE id = $1`, [
      otherContract,
    ]);
  }, 90_000);

  afterAll(() => t.close());

  describe('audioLanguages on briefs and contracts', () => {
    it('copies the brief’s audio languages to the contract at award, and keeps the broadcaster’s change', async () => {
      const c3 = await t
        .http()
        .get(api(`/contracts/${ids.c3}`))
        .set(...bearer(studios.kz2.producer))
        .expect(200);
      expect(c3.body.audioLanguages).toEqual([
        { language: 'kk', minutes: 30 },
        { language: 'ru', minutes: 14 },
      ]);
      const c7 = await t
        .http()
        .get(api(`/contracts/${ids.c7}`))
        .set(...bearer(b.commissioner))
        .expect(200);
      expect(c7.body).toMatchObject({ status: 'active', audioLanguages: FIXTURE[6]!.contract });
      // the audio languages are part of the signed terms
      expect(c7.body.termsHash).not.toBe(c7HashBefore);
      expect(c7.body.signatures.map((s: { termsHash: string }) => s.termsHash)).toEqual([
        c7.body.termsHash,
        c7.body.termsHash,
      ]);
      const brief = await t
        .http()
        .get(api(`/briefs/${c7.body.briefId}`))
        .set(...bearer(b.commissioner))
        .expect(200);
      expect(brief.body.audioLanguages).toEqual([{ language: 'kk', minutes: 52 }]);
    });

    it('refuses audio languages longer than an episode (422), on a brief and on a draft contract', async () => {
      const brief = await t
        .http()
        .post(api('/briefs'))
        .set(...bearer(b.commissioner))
        .send({
          title: 'Too much audio',
          episodeMinutes: 44,
          audioLanguages: [
            { language: 'kk', minutes: 30 },
            { language: 'ru', minutes: 15 },
          ],
        });
      expectProblem(brief, 422, 'AUDIO_MINUTES');
      const draft = await t
        .http()
        .post(api('/briefs'))
        .set(...bearer(b.commissioner))
        .send({ title: 'Fits', episodeMinutes: 44, audioLanguages: [{ language: 'kk', minutes: 44 }] })
        .expect(201);
      expect(draft.body.audioLanguages).toEqual([{ language: 'kk', minutes: 44 }]);
      const shorter = await t
        .http()
        .patch(api(`/briefs/${draft.body.id}`))
        .set(...bearer(b.commissioner))
        .send({ episodeMinutes: 40 });
      expectProblem(shorter, 422, 'AUDIO_MINUTES');
      expectProblem(
        await putAudio(b.commissioner, ids.c10!, [{ language: 'kk', minutes: 61 }]),
        422,
        'AUDIO_MINUTES',
      );
      const { rows } = await t.db.query('SELECT audio_languages FROM contracts WHERE id = $1', [ids.c10]);
      expect(rows[0].audio_languages).toEqual([{ language: 'kk', minutes: 60 }]);
    });

    it('checks the episode length in the database too', async () => {
      await expect(
        t.db.query(
          `UPDATE briefs SET audio_languages = '[{"language": "kk", "minutes": 61}]' WHERE id = (
                      SELECT brief_id FROM contracts WHERE id = $1)`,
          [ids.c10],
        ),
      ).rejects.toMatchObject({ constraint: 'briefs_audio_languages_check' });
    });

    it('refuses malformed audio languages with 400', async () => {
      for (const audioLanguages of [
        [{ language: 'kaz', minutes: 10 }],
        [{ language: 'kk', minutes: 0 }],
        [{ language: 'kk', minutes: 1.5 }],
        [
          { language: 'kk', minutes: 10 },
          { language: 'kk', minutes: 5 },
        ],
        [{ language: 'kk' }],
        'kk',
      ]) {
        expectProblem(await putAudio(b.commissioner, ids.c10!, audioLanguages), 400);
      }
    });

    it('lets only the broadcaster change them, and only while the contract is a draft', async () => {
      const body = [{ language: 'kk', minutes: 30 }];
      expectProblem(await putAudio(b.commissioner, ids.c1!, body), 409, 'CONTRACT_STATE_CONFLICT');
      expectProblem(await putAudio(studios.kz2.producer, ids.c10!, body), 403);
      expectProblem(await putAudio(other.commissioner, ids.c10!, body), 404);
    });
  });

  describe('2025 (target 0.55)', () => {
    let report: Response;
    beforeAll(async () => {
      report = await get(b.finance, '?year=2025');
    });

    it('counts the nine contracts signed in 2025: not the unsigned one, nor the terminated one', () => {
      expect(report.status).toBe(200);
      expect(report.body.contracts.map((c: { contractId: string }) => c.contractId)).toEqual(
        ['c1', 'c2', 'c3', 'c4', 'c5', 'c6', 'c7', 'c8', 'c9'].map((n) => ids[n]),
      );
    });

    it('answers the exact totals, the domestic / foreign split, the Kazakh shares and both formulas', () => {
      expect(report.body).toMatchObject({
        broadcasterId: b.admin.organisationId,
        year: 2025,
        basis: 'commissioned',
        target: { share: 0.55, source: 'LOCAL_CONTENT_TARGETS' },
        commissioned: COMMISSIONED,
        accepted: ACCEPTED,
        minutesNeeded: NEEDED_2025,
        formulas: {
          allNew: expect.stringContaining('(p·T − K) / (1 − p)'),
          replacement: expect.stringContaining('p·T − K'),
        },
        note: expect.stringContaining('not broadcast airtime'),
      });
    });

    it('gives each contract its minutes, Kazakh minutes (spoken audio only), domesticity and acceptance', () => {
      for (const [name, want] of Object.entries(COUNTED)) {
        const f = FIXTURE.find((x) => x.name === name)!;
        const got = report.body.contracts.find((c: { contractId: string }) => c.contractId === ids[name]);
        expect({ name, ...got }).toMatchObject({
          name,
          episodes: f.episodes,
          episodeMinutes: f.episodeMinutes,
          audioLanguages: f.contract ?? f.brief,
          minutes: want.minutes,
          kazakhMinutes: want.kazakh,
          domestic: want.domestic,
          accepted: want.accepted,
          studio: { id: studios[f.studio].admin.organisationId },
          value: kzt(f.price),
          signedAt: f.signedAt,
        });
      }
      // the hand totals add up from the table
      const counted = Object.values(COUNTED);
      expect(counted.reduce((s, c) => s + c.minutes, 0)).toBe(T);
      expect(counted.reduce((s, c) => s + c.kazakh, 0)).toBe(K);
      // p = 55/100: replacement ⌈(55·T − 100·K) / 100⌉, all new ⌈(55·T − 100·K) / 45⌉
      expect(Math.ceil((55 * T - 100 * K) / 100)).toBe(NEEDED_2025.replacement);
      expect(Math.ceil((55 * T - 100 * K) / 45)).toBe(NEEDED_2025.allNew);
    });

    it('answers the same figures as CSV: a row per contract, then domestic, foreign and total', async () => {
      const [header, ...rows] = csvRows(await get(b.commissioner, '?year=2025').set('Accept', 'text/csv'));
      const col = (name: string): number => header!.indexOf(name);
      expect(header).toEqual([
        'row',
        'contract_id',
        'brief_id',
        'studio_id',
        'studio',
        'domestic',
        'signed_at',
        'episodes',
        'episode_minutes',
        'audio_languages',
        'minutes',
        'kazakh_minutes',
        'kazakh_share',
        'accepted_minutes',
        'accepted_kazakh_minutes',
        'accepted_kazakh_share',
        'spend',
        'currency',
        'target_share',
        'minutes_needed_all_new',
        'minutes_needed_replacement',
      ]);
      expect(rows.map((r) => r[0])).toEqual([
        ...Array<string>(9).fill('contract'),
        'domestic',
        'foreign',
        'total',
      ]);
      const json = report.body as {
        contracts: {
          contractId: string;
          briefId: string;
          studio: { id: string; name: string };
          domestic: boolean;
          signedAt: string;
          minutes: number;
          kazakhMinutes: number;
          accepted: boolean;
          value: { amount: number };
        }[];
      };
      json.contracts.forEach((c, i) => {
        const r = rows[i]!;
        expect([
          r[col('contract_id')],
          r[col('brief_id')],
          r[col('studio_id')],
          r[col('studio')],
          r[col('domestic')],
          r[col('signed_at')],
          r[col('minutes')],
          r[col('kazakh_minutes')],
          r[col('accepted_minutes')],
          r[col('spend')],
          r[col('currency')],
        ]).toEqual([
          c.contractId,
          c.briefId,
          c.studio.id,
          c.studio.name,
          String(c.domestic),
          c.signedAt,
          String(c.minutes),
          String(c.kazakhMinutes),
          String(c.accepted ? c.minutes : 0),
          String(c.value.amount),
          'KZT',
        ]);
      });
      const c3 = rows.find((r) => r[col('contract_id')] === ids.c3)!;
      expect(c3[col('audio_languages')]).toBe('kk:30 ru:14');
      const pick = (r: string[], names: string[]): string[] => names.map((n) => r[col(n)]!);
      expect(pick(rows[9]!, ['minutes', 'spend', 'currency'])).toEqual(['3172', String(445 * M), 'KZT']);
      expect(pick(rows[10]!, ['minutes', 'spend', 'currency'])).toEqual(['1020', String(170 * M), 'KZT']);
      expect(
        pick(rows[11]!, [
          'minutes',
          'kazakh_minutes',
          'kazakh_share',
          'accepted_minutes',
          'accepted_kazakh_minutes',
          'accepted_kazakh_share',
          'spend',
          'currency',
          'target_share',
          'minutes_needed_all_new',
          'minutes_needed_replacement',
        ]),
      ).toEqual([
        '4192',
        '1970',
        '0.4699',
        '764',
        '680',
        '0.8901',
        String(615 * M),
        'KZT',
        '0.55',
        '746',
        '336',
      ]);
    });
  });

  describe('who may read it', () => {
    it('gives every user of the broadcaster its own report', async () => {
      for (const who of [b.admin, b.commissioner, b.finance]) {
        const res = await get(who, '?year=2025');
        expect(res.status).toBe(200);
        expect(res.body.commissioned.minutes).toBe(T);
      }
      const own = await get(b.admin, `?year=2025&broadcasterId=${b.admin.organisationId}`);
      expect(own.body.broadcasterId).toBe(b.admin.organisationId);
    });

    it('gives the operator the report of the broadcaster it names, and asks it to name one (400)', async () => {
      const res = await get(operator, `?year=2025&broadcasterId=${b.admin.organisationId}`);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ broadcasterId: b.admin.organisationId, commissioned: COMMISSIONED });
      expectProblem(await get(operator, '?year=2025'), 400, 'VALIDATION_FAILED');
      expectProblem(await get(operator, `?year=2025&broadcasterId=${studios.kz1.admin.organisationId}`), 404);
      expectProblem(await get(operator, '?year=2025&broadcasterId=not-a-uuid'), 400);
    });

    it('refuses studios (403)', async () => {
      for (const who of [studios.kz1.admin, studios.kz1.producer, studios.foreign.finance]) {
        expectProblem(await get(who, '?year=2025'), 403);
        expectProblem(await get(who, `?year=2025&broadcasterId=${b.admin.organisationId}`), 403);
      }
    });

    it("shows another broadcaster only its own contracts, and not B's report (404)", async () => {
      const res = await get(other.finance, '?year=2025');
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        broadcasterId: other.admin.organisationId,
        commissioned: {
          contracts: 1,
          minutes: 60,
          spend: kzt(30 * M),
          kazakhMinutes: 60,
          kazakhShare: 1,
          domestic: { minutes: 60 },
        },
        minutesNeeded: { allNew: 0, replacement: 0 },
      });
      expect(res.body.contracts.map((c: { contractId: string }) => c.contractId)).toEqual([otherContract]);
      expectProblem(await get(other.admin, `?year=2025&broadcasterId=${b.admin.organisationId}`), 404);
    });

    it('needs a year 2000..2100 (400 otherwise)', async () => {
      for (const query of ['', '?year=1999', '?year=2101', '?year=abc', '?year=2025.5']) {
        expectProblem(await get(b.finance, query), 400);
      }
    });
  });

  describe('other years', () => {
    it('counts nothing in 2024 and 2026 (the signatures are in 2025), with 2026 target 0.55', async () => {
      for (const year of [2024, 2026]) {
        const res = await get(b.finance, `?year=${year}`);
        expect(res.status).toBe(200);
        expect(res.body.contracts).toEqual([]);
        expect(res.body.commissioned).toMatchObject({ minutes: 0, spend: kzt(0), kazakhShare: null });
      }
      expect((await get(b.finance, '?year=2026')).body).toMatchObject({
        target: { share: 0.55, source: 'LOCAL_CONTENT_TARGETS' },
        minutesNeeded: { allNew: 0, replacement: 0 },
      });
    });

    it('has no target and no minutes needed in a year LOCAL_CONTENT_TARGETS does not name', async () => {
      const res = await get(b.finance, '?year=2030');
      expect(res.body).toMatchObject({ target: { share: null, source: 'none' }, minutesNeeded: null });
      const [, ...rows] = csvRows(await get(b.finance, '?year=2030').set('Accept', 'text/csv'));
      expect(rows.map((r) => r[0])).toEqual(['domestic', 'foreign', 'total']);
    });

    it('refuses to add up spend in several currencies (422)', async () => {
      await t.db.query(`UPDATE contracts SET currency = 'USD' WHERE id = $1`, [ids.c9]);
      try {
        expectProblem(await get(b.finance, '?year=2025'), 422, 'MIXED_CURRENCIES');
      } finally {
        await t.db.query(`UPDATE contracts SET currency = 'KZT' WHERE id = $1`, [ids.c9]);
      }
    });

    describe('2027 (target 0.60), the same contracts signed two years later', () => {
      beforeAll(async () => {
        await t.db.query(
          `UPDATE contracts SET activated_at = activated_at + interval '2 years'
            WHERE broadcaster_id = $1 AND activated_at IS NOT NULL`,
          [b.admin.organisationId],
        );
      });

      it('answers the same commissioned and accepted figures, and the minutes needed at 0.60', async () => {
        const res = await get(b.finance, '?year=2027');
        expect(res.body).toMatchObject({
          year: 2027,
          target: { share: 0.6, source: 'LOCAL_CONTENT_TARGETS' },
          commissioned: COMMISSIONED,
          accepted: ACCEPTED,
          minutesNeeded: NEEDED_2027,
        });
        // p = 60/100: replacement ⌈(60·T − 100·K) / 100⌉, all new ⌈(60·T − 100·K) / 40⌉
        expect(Math.ceil((60 * T - 100 * K) / 100)).toBe(NEEDED_2027.replacement);
        expect(Math.ceil((60 * T - 100 * K) / 40)).toBe(NEEDED_2027.allNew);
        expect((await get(b.finance, '?year=2025')).body.commissioned.minutes).toBe(0);
      });

      it('answers them as CSV too', async () => {
        const [header, ...rows] = csvRows(
          await get(operator, `?year=2027&broadcasterId=${b.admin.organisationId}`).set('Accept', 'text/csv'),
        );
        const total = rows.at(-1)!;
        const cell = (name: string): string => total[header!.indexOf(name)]!;
        expect([
          cell('row'),
          cell('minutes'),
          cell('kazakh_share'),
          cell('target_share'),
          cell('minutes_needed_all_new'),
          cell('minutes_needed_replacement'),
        ]).toEqual(['total', '4192', '0.4699', '0.6', '1363', '546']);
      });
    });
  });
});
