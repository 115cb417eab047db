import { randomUUID } from 'node:crypto';
import type { Response } from 'supertest';
import { bearer, login, registerOrganisation, type Actor } from '../factories';
import {
  bidBody,
  briefBody,
  createBrief,
  createBroadcaster,
  createStudio,
  publishBrief,
  submitBid,
  waitUntilPast,
  type Broadcaster,
  type Studio,
} from '../factories/commissioning';
import { API, OPERATOR, startApp, type TestApp } from '../utils/app';
import { expectProblem } from '../utils/expect';
import { notificationsAbout, waitForNotification } from '../utils/notifications';

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const DAY = 86400;

const inSeconds = (s: number): string => new Date(Date.now() + s * 1000).toISOString();
const later = (iso: unknown, s: number): string =>
  new Date(Date.parse(iso as string) + s * 1000).toISOString();
const ids = (res: Response): string[] => (res.body.items as { id: string }[]).map((i) => i.id);
const sorted = (a: string[]): string[] => [...a].sort();

describe('Briefs', () => {
  let t: TestApp;
  let b: Broadcaster;
  let b2: Broadcaster;
  /** Verified, interested in documentaries. */
  let sDoc: Studio;
  /** Verified, interested in drama only. */
  let sDrama: Studio;
  /** Not verified, interested in documentaries. */
  let sUnverified: Studio;
  /** Verified, no genre interests; takes part in nothing unless a test says so. */
  let sBystander: Studio;

  const get = (path: string, who?: Actor) => {
    const r = t.http().get(`${API}${path}`);
    return who ? r.set(...bearer(who)) : r;
  };
  const post = (path: string, who: Actor | null, body?: object) => {
    const r = t.http().post(`${API}${path}`);
    if (who) r.set(...bearer(who));
    return body === undefined ? r : r.send(body);
  };
  const patch = (path: string, who: Actor, body: object) =>
    t
      .http()
      .patch(`${API}${path}`)
      .set(...bearer(who))
      .send(body);

  const hasNotification = async (who: Actor, type: string, briefId: string): Promise<boolean> =>
    (await notificationsAbout(t, who, type, { briefId })).length > 0;

  /** All briefs listed to `who` with the query, following every cursor. */
  async function listAll(
    who: Actor,
    query = '',
  ): Promise<{ id: string; status: string; [k: string]: unknown }[]> {
    const all: { id: string; status: string }[] = [];
    let cursor: string | null = null;
    for (let page = 0; page < 10; page++) {
      const res: Response = await get(
        `/briefs?limit=100${query ? `&${query}` : ''}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
        who,
      ).expect(200);
      all.push(...res.body.items);
      cursor = res.body.nextCursor as string | null;
      if (!cursor) break;
    }
    return all;
  }

  beforeAll(async () => {
    t = await startApp({ BRIEF_MIN_BID_WINDOW_SECONDS: '0', BRIEF_AMENDMENT_MIN_NOTICE_SECONDS: '3600' });
    [b, b2, sDoc, sDrama, sUnverified, sBystander] = await Promise.all([
      createBroadcaster(t),
      createBroadcaster(t),
      createStudio(t, { genres: ['documentary'] }),
      createStudio(t, { genres: ['drama'] }),
      createStudio(t, { genres: ['documentary'], verified: false }),
      createStudio(t),
    ]);
  });
  afterAll(() => t.close());

  describe('POST /briefs', () => {
    it('creates a draft with the Brief shape for a commissioner', async () => {
      const body = briefBody();
      const res = await post('/briefs', b.commissioner, body);
      expect(res.status).toBe(201);
      const org = await get(`/organisations/${b.admin.organisationId}`, b.admin).expect(200);
      expect(res.body).toMatchObject({
        ...body,
        status: 'draft',
        broadcaster: { id: b.admin.organisationId, name: org.body.name },
        bidCount: 0,
        amendments: [],
        publishedAt: null,
        cancelReason: null,
        origin: null,
      });
      expect(res.body.id).toMatch(UUID);
      expect(res.body.createdAt).toMatch(ISO);
      const read = await get(`/briefs/${res.body.id}`, b.commissioner).expect(200);
      expect(read.body).toEqual(res.body);
    });

    it('creates a draft for a broadcaster admin', async () => {
      const res = await post('/briefs', b.admin, briefBody());
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({ status: 'draft', bidCount: 0, amendments: [] });
    });

    it('refuses broadcaster finance with 403', async () => {
      expectProblem(await post('/briefs', b.finance, briefBody()), 403, 'FORBIDDEN');
    });

    it('refuses studio admins and producers with 403', async () => {
      expectProblem(await post('/briefs', sDoc.admin, briefBody()), 403, 'FORBIDDEN');
      expectProblem(await post('/briefs', sDoc.producer, briefBody()), 403, 'FORBIDDEN');
    });

    it('refuses a request without a token with 401', async () => {
      expectProblem(await post('/briefs', null, briefBody()), 401, 'UNAUTHENTICATED');
    });

    it('rejects unknown fields, at the top and nested, with 400', async () => {
      expectProblem(
        await post('/briefs', b.commissioner, { ...briefBody(), colour: 'red' }),
        400,
        'VALIDATION_FAILED',
      );
      const nested = briefBody();
      nested.rights = { ...(nested.rights as object), exclusive: true };
      expectProblem(await post('/briefs', b.commissioner, nested), 400, 'VALIDATION_FAILED');
    });

    it('rejects a budget minimum above the maximum with 422 BUDGET_RANGE', async () => {
      const body = {
        ...briefBody(),
        budget: { min: { amount: 200, currency: 'KZT' }, max: { amount: 100, currency: 'KZT' } },
      };
      expectProblem(await post('/briefs', b.commissioner, body), 422, 'BUDGET_RANGE');
    });

    it('rejects criteria weights that do not sum to 100 with 422 CRITERIA_WEIGHTS', async () => {
      const body = {
        ...briefBody(),
        criteria: [
          { name: 'creative', weight: 50 },
          { name: 'price', weight: 49 },
        ],
      };
      expectProblem(await post('/briefs', b.commissioner, body), 422, 'CRITERIA_WEIGHTS');
    });

    it('rejects a non-integer amount or one above 2^53 with 400', async () => {
      for (const amount of [100.5, 2 ** 53, 1e20, -1]) {
        const body = {
          ...briefBody(),
          budget: { min: { amount: 1, currency: 'KZT' }, max: { amount, currency: 'KZT' } },
        };
        expectProblem(await post('/briefs', b.commissioner, body), 400, 'VALIDATION_FAILED');
      }
    });

    it('rejects a format outside the enum with 400', async () => {
      expectProblem(
        await post('/briefs', b.commissioner, { ...briefBody(), format: 'telenovela' }),
        400,
        'VALIDATION_FAILED',
      );
    });
  });

  describe('PATCH /briefs/{id}', () => {
    let draftId: string;
    let publishedId: string;

    beforeAll(async () => {
      draftId = await createBrief(t, b.commissioner);
      publishedId = await publishBrief(t, b.commissioner);
    });

    it('edits a draft for its commissioner', async () => {
      const res = await patch(`/briefs/${draftId}`, b.commissioner, {
        title: 'A new working title',
        episodes: 8,
      });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        id: draftId,
        status: 'draft',
        title: 'A new working title',
        episodes: 8,
      });
      expect(res.body.synopsis).toBe(briefBody().synopsis);
    });

    it('refuses to edit a published brief with 409 BRIEF_NOT_DRAFT', async () => {
      expectProblem(
        await patch(`/briefs/${publishedId}`, b.commissioner, { title: 'Too late' }),
        409,
        'BRIEF_NOT_DRAFT',
      );
    });

    it("answers 404 to another broadcaster's commissioner", async () => {
      expectProblem(
        await patch(`/briefs/${draftId}`, b2.commissioner, { title: 'Not mine' }),
        404,
        'NOT_FOUND',
      );
      expectProblem(
        await patch(`/briefs/${publishedId}`, b2.commissioner, { title: 'Not mine' }),
        404,
        'NOT_FOUND',
      );
    });

    it('refuses a studio: 403 for a producer, 404 for a studio admin', async () => {
      expectProblem(
        await patch(`/briefs/${draftId}`, sDoc.producer, { title: 'Not mine' }),
        403,
        'FORBIDDEN',
      );
      expectProblem(await patch(`/briefs/${draftId}`, sDoc.admin, { title: 'Not mine' }), 404, 'NOT_FOUND');
    });

    it('refuses broadcaster finance with 403', async () => {
      expectProblem(
        await patch(`/briefs/${draftId}`, b.finance, { title: 'Finance title' }),
        403,
        'FORBIDDEN',
      );
    });

    it('rejects questionsCloseAt at or after bidsCloseAt with 422 DEADLINE_ORDER', async () => {
      const bidsCloseAt = (briefBody() as { bidsCloseAt: string }).bidsCloseAt;
      const res = await get(`/briefs/${draftId}`, b.commissioner).expect(200);
      for (const questionsCloseAt of [res.body.bidsCloseAt, later(res.body.bidsCloseAt, 60)]) {
        expectProblem(
          await patch(`/briefs/${draftId}`, b.commissioner, { questionsCloseAt }),
          422,
          'DEADLINE_ORDER',
        );
      }
      expectProblem(
        await post('/briefs', b.commissioner, { ...briefBody(), questionsCloseAt: bidsCloseAt, bidsCloseAt }),
        422,
        'DEADLINE_ORDER',
      );
    });

    it('answers 400 to a field set to null and leaves the draft as it was', async () => {
      for (const body of [
        { title: null },
        { synopsis: null },
        { budget: null },
        { budget: { min: null, max: { amount: 1, currency: 'KZT' } } },
        { languages: null },
        { languages: [null] },
        { criteria: null },
        { criteria: [null] },
        { rights: null },
        { bidsCloseAt: null },
      ]) {
        expectProblem(await patch(`/briefs/${draftId}`, b.commissioner, body), 400, 'VALIDATION_FAILED');
      }
      const res = await get(`/briefs/${draftId}`, b.commissioner).expect(200);
      expect(res.body.title).toBe('A new working title');
      expect(res.body.budget).toEqual(briefBody().budget);
    });
  });

  describe('POST /briefs/{id}/publish', () => {
    it('refuses an incomplete draft with 422 BRIEF_INCOMPLETE listing the missing fields', async () => {
      const bare = await createBrief(t, b.commissioner, { title: 'Only a title' });
      const res = await post(`/briefs/${bare}/publish`, b.commissioner);
      expectProblem(res, 422, 'BRIEF_INCOMPLETE');
      expect(sorted((res.body.errors as { field: string }[]).map((e) => e.field))).toEqual(
        sorted([
          'synopsis',
          'genre',
          'format',
          'episodes',
          'episodeMinutes',
          'budget',
          'rights',
          'deliverySpec',
          'questionsCloseAt',
          'bidsCloseAt',
          'deliveryDueAt',
          'languages',
          'criteria',
        ]),
      );

      const { budget: _b, criteria: _c, ...almost } = briefBody();
      const partly = await createBrief(t, b.commissioner, almost);
      const res2 = await post(`/briefs/${partly}/publish`, b.commissioner);
      expectProblem(res2, 422, 'BRIEF_INCOMPLETE');
      expect(sorted((res2.body.errors as { field: string }[]).map((e) => e.field))).toEqual([
        'budget',
        'criteria',
      ]);
      const still = await get(`/briefs/${partly}`, b.commissioner).expect(200);
      expect(still.body.status).toBe('draft');
    });

    it('publishes a complete draft: status published and publishedAt set', async () => {
      const id = await createBrief(t, b.commissioner);
      const res = await post(`/briefs/${id}/publish`, b.commissioner);
      expect(res.status).toBe(200);
      expect(res.body.status).toBe('published');
      expect(res.body.publishedAt).toMatch(ISO);
      expect(Math.abs(Date.parse(res.body.publishedAt) - Date.now())).toBeLessThan(60_000);
      const seen = await get(`/briefs/${id}`, sDoc.producer).expect(200);
      expect(seen.body).toMatchObject({ status: 'published', publishedAt: res.body.publishedAt });
    });

    it('refuses to publish twice with 409 BRIEF_STATE_CONFLICT', async () => {
      const id = await publishBrief(t, b.commissioner);
      expectProblem(await post(`/briefs/${id}/publish`, b.commissioner), 409, 'BRIEF_STATE_CONFLICT');
    });

    it('refuses studios (403) and another broadcaster (404)', async () => {
      const id = await createBrief(t, b.commissioner);
      expectProblem(await post(`/briefs/${id}/publish`, sDoc.producer), 403, 'FORBIDDEN');
      expectProblem(await post(`/briefs/${id}/publish`, b.finance), 403, 'FORBIDDEN');
      expectProblem(await post(`/briefs/${id}/publish`, b2.commissioner), 404, 'NOT_FOUND');
      const res = await get(`/briefs/${id}`, b.commissioner).expect(200);
      expect(res.body.status).toBe('draft');
    });

    it('notifies verified studios whose genres include the brief genre, and no one else', async () => {
      const id = await publishBrief(t, b.commissioner);
      await waitForNotification(t, sDoc.producer, 'brief.published', { briefId: id });
      expect(await hasNotification(sDoc.admin, 'brief.published', id)).toBe(true);
      expect(await hasNotification(sDrama.producer, 'brief.published', id)).toBe(false);
      expect(await hasNotification(sUnverified.producer, 'brief.published', id)).toBe(false);
      expect(await hasNotification(sUnverified.admin, 'brief.published', id)).toBe(false);
      expect(await hasNotification(sBystander.producer, 'brief.published', id)).toBe(false);
      expect(await hasNotification(b.commissioner, 'brief.published', id)).toBe(false);
    });

    describe('with a one-hour minimum bid window', () => {
      let t2: TestApp;
      let admin: Actor;
      beforeAll(async () => {
        t2 = await startApp({ BRIEF_MIN_BID_WINDOW_SECONDS: '3600' });
        admin = await registerOrganisation(t2, { kind: 'broadcaster' });
      });
      afterAll(() => t2.close());

      it('refuses bidsCloseAt sooner than the window with 422 BID_WINDOW_TOO_SHORT and accepts a later one', async () => {
        const id = await createBrief(t2, admin, briefBody({ closesIn: 1800, questionsIn: 900 }));
        const res = await t2
          .http()
          .post(`${API}/briefs/${id}/publish`)
          .set(...bearer(admin));
        expectProblem(res, 422, 'BID_WINDOW_TOO_SHORT');
        await t2
          .http()
          .patch(`${API}/briefs/${id}`)
          .set(...bearer(admin))
          .send({ bidsCloseAt: inSeconds(3700) })
          .expect(200);
        const ok = await t2
          .http()
          .post(`${API}/briefs/${id}/publish`)
          .set(...bearer(admin));
        expect(ok.status).toBe(200);
        expect(ok.body.status).toBe('published');
      });
    });
  });

  describe('Visibility', () => {
    it('hides a draft from studios and other broadcasters', async () => {
      const id = await createBrief(t, b.commissioner);
      for (const who of [sDoc.producer, sDoc.admin, sBystander.producer, b2.commissioner, b2.admin]) {
        expectProblem(await get(`/briefs/${id}`, who), 404, 'NOT_FOUND');
        expectProblem(await get(`/briefs/${id}/questions`, who), 404, 'NOT_FOUND');
      }
      await get(`/briefs/${id}`, b.finance).expect(200);
      expect((await listAll(sDoc.producer)).map((x) => x.id)).not.toContain(id);
    });

    it('shows an open published brief to verified studios and hides it from an unverified one', async () => {
      const id = await publishBrief(t, b.commissioner);
      for (const who of [sDoc.producer, sDoc.finance, sDrama.producer, sBystander.admin]) {
        const res = await get(`/briefs/${id}`, who);
        expect(res.status).toBe(200);
        expect(res.body.id).toBe(id);
      }
      expectProblem(await get(`/briefs/${id}`, sUnverified.producer), 404, 'NOT_FOUND');
      expect((await listAll(sUnverified.producer)).map((x) => x.id)).not.toContain(id);
    });

    it('shows an invited brief only to the invited studios, and notifies them', async () => {
      const id = await createBrief(t, b.commissioner, briefBody({ visibility: 'invited' }));
      const before = await post(`/briefs/${id}/invitations`, b.commissioner, {
        studioIds: [sDrama.admin.organisationId],
      });
      expect(before.status).toBe(201);
      expect(before.body).toEqual({ briefId: id, studioIds: [sDrama.admin.organisationId] });
      await post(`/briefs/${id}/publish`, b.commissioner).expect(200);
      await waitForNotification(t, sDrama.producer, 'brief.published', { briefId: id });
      expect(await hasNotification(sDoc.producer, 'brief.published', id)).toBe(false);

      const after = await post(`/briefs/${id}/invitations`, b.commissioner, {
        studioIds: [sBystander.admin.organisationId],
      });
      expect(after.status).toBe(201);
      expect(sorted(after.body.studioIds)).toEqual(
        sorted([sDrama.admin.organisationId, sBystander.admin.organisationId]),
      );
      await waitForNotification(t, sBystander.producer, 'brief.published', { briefId: id });

      await get(`/briefs/${id}`, sDrama.producer).expect(200);
      await get(`/briefs/${id}`, sBystander.producer).expect(200);
      expectProblem(await get(`/briefs/${id}`, sDoc.producer), 404, 'NOT_FOUND');
      expectProblem(await get(`/briefs/${id}`, sUnverified.producer), 404, 'NOT_FOUND');
      expect((await listAll(sDrama.producer)).map((x) => x.id)).toContain(id);
      expect((await listAll(sDoc.producer)).map((x) => x.id)).not.toContain(id);
    });

    it('refuses invitations on an open brief with 422 NOT_INVITATION_ONLY', async () => {
      const id = await publishBrief(t, b.commissioner);
      expectProblem(
        await post(`/briefs/${id}/invitations`, b.commissioner, { studioIds: [sDoc.admin.organisationId] }),
        422,
        'NOT_INVITATION_ONLY',
      );
    });

    it('refuses unknown and non-studio ids with 422 UNKNOWN_STUDIOS and invites no one', async () => {
      const id = await publishBrief(t, b.commissioner, briefBody({ visibility: 'invited' }));
      for (const studioIds of [
        [randomUUID()],
        [b2.admin.organisationId],
        [sDoc.admin.organisationId, randomUUID()],
      ]) {
        expectProblem(
          await post(`/briefs/${id}/invitations`, b.commissioner, { studioIds }),
          422,
          'UNKNOWN_STUDIOS',
        );
      }
      expectProblem(await get(`/briefs/${id}`, sDoc.producer), 404, 'NOT_FOUND');
      expectProblem(
        await post(`/briefs/${id}/invitations`, b.commissioner, { studioIds: ['not-a-uuid'] }),
        400,
        'VALIDATION_FAILED',
      );
    });

    it('refuses invitations from a studio (403) and another broadcaster (404)', async () => {
      const id = await createBrief(t, b.commissioner, briefBody({ visibility: 'invited' }));
      const body = { studioIds: [sDoc.admin.organisationId] };
      expectProblem(await post(`/briefs/${id}/invitations`, sDoc.producer, body), 403, 'FORBIDDEN');
      expectProblem(await post(`/briefs/${id}/invitations`, b.finance, body), 403, 'FORBIDDEN');
      expectProblem(await post(`/briefs/${id}/invitations`, b2.commissioner, body), 404, 'NOT_FOUND');
    });

    it('lists to a broadcaster only its own briefs, in every status', async () => {
      const draft = await createBrief(t, b.commissioner);
      const published = await publishBrief(t, b.commissioner);
      const cancelled = await publishBrief(t, b.commissioner);
      await post(`/briefs/${cancelled}/cancel`, b.commissioner, { reason: 'Changed our plans' }).expect(200);
      const other = await publishBrief(t, b2.commissioner);

      const mine = await listAll(b.finance);
      expect(mine.every((x) => (x.broadcaster as { id: string }).id === b.admin.organisationId)).toBe(true);
      expect(mine.map((x) => x.id)).toEqual(expect.arrayContaining([draft, published, cancelled]));
      expect(mine.map((x) => x.id)).not.toContain(other);
      expect([...new Set(mine.map((x) => x.status))]).toEqual(
        expect.arrayContaining(['draft', 'published', 'cancelled']),
      );
      const theirs = (await listAll(b2.commissioner)).map((x) => x.id);
      expect(theirs).toContain(other);
      expect(theirs).not.toContain(published);
    });

    it('lists to a studio only the published briefs it can see', async () => {
      const draft = await createBrief(t, b.commissioner);
      const open = await publishBrief(t, b.commissioner);
      const invited = await publishBrief(t, b2.commissioner, briefBody({ visibility: 'invited' }));
      const listed = await listAll(sDoc.producer);
      const listedIds = listed.map((x) => x.id);
      expect(listedIds).toContain(open);
      expect(listedIds).not.toContain(draft);
      expect(listedIds).not.toContain(invited);
      expect(listed.every((x) => x.publishedAt !== null && x.status !== 'draft')).toBe(true);
      expect(listed.every((x) => x.visibility === 'open')).toBe(true);
      expect(await listAll(sUnverified.producer)).toEqual([]);
    });
  });

  describe('GET /briefs filters and search', () => {
    let lister: Actor;
    const made: Record<'kz' | 'en' | 'ru' | 'gone' | 'bare', string> = {
      kz: '',
      en: '',
      ru: '',
      gone: '',
      bare: '',
    };
    const money = (amount: number) => ({ amount, currency: 'KZT' });

    beforeAll(async () => {
      lister = await registerOrganisation(t, { kind: 'broadcaster' });
      // Created in this order: newest first is bare, gone, ru, en, kz.
      made.kz = await publishBrief(t, lister, briefBody());
      made.en = await publishBrief(t, lister, {
        ...briefBody({ closesIn: 10 * DAY, genre: 'Drama' }),
        title: 'Mountain Riders',
        synopsis: 'An English drama about horse riders in the Altai mountains.',
        format: 'series',
        budget: { min: money(10_000_000_00), max: money(20_000_000_00) },
      });
      made.ru = await createBrief(t, lister, {
        ...briefBody({ closesIn: 60 * DAY, genre: 'comedy' }),
        title: 'Вечернее шоу',
        synopsis: 'Развлекательная программа о жизни большого города.',
        format: 'entertainment',
        budget: { min: money(200_000_000_00), max: money(300_000_000_00) },
      });
      made.gone = await publishBrief(t, lister, {
        ...briefBody({ closesIn: 20 * DAY, genre: 'drama' }),
        title: 'Old Idea',
        synopsis: 'A film that will not be made.',
        format: 'film',
      });
      await post(`/briefs/${made.gone}/cancel`, lister, { reason: 'No longer needed' }).expect(200);
      made.bare = await createBrief(t, lister, { title: 'Untitled animation', format: 'animation' });
    });

    const query = async (q: string): Promise<string[]> =>
      sorted(ids(await get(`/briefs?${q}`, lister).expect(200)));

    it('filters by status', async () => {
      expect(await query('status=draft')).toEqual(sorted([made.ru, made.bare]));
      expect(await query('status=published')).toEqual(sorted([made.kz, made.en]));
      expect(await query('status=cancelled')).toEqual([made.gone]);
      expect(await query('status=closed')).toEqual([]);
      expectProblem(await get('/briefs?status=open', lister), 400, 'VALIDATION_FAILED');
    });

    it('filters by genre and format', async () => {
      expect(await query('genre=drama')).toEqual(sorted([made.en, made.gone]));
      expect(await query('genre=DRAMA')).toEqual(sorted([made.en, made.gone]));
      expect(await query('format=series')).toEqual([made.en]);
      expect(await query('format=documentary&genre=documentary')).toEqual([made.kz]);
      expect(await query('format=animation')).toEqual([made.bare]);
      expectProblem(await get('/briefs?format=telenovela', lister), 400, 'VALIDATION_FAILED');
    });

    it('filters by budget range', async () => {
      expect(await query(`budgetMin=${150_000_000_00}`)).toEqual([made.ru]);
      expect(await query(`budgetMax=${30_000_000_00}`)).toEqual([made.en]);
      expect(await query(`budgetMin=${15_000_000_00}&budgetMax=${60_000_000_00}`)).toEqual(
        sorted([made.kz, made.en, made.gone]),
      );
      for (const bad of ['budgetMin=-1', 'budgetMax=abc', 'budgetMin=1.5', `budgetMax=${2 ** 53}`]) {
        expectProblem(await get(`/briefs?${bad}`, lister), 400, 'VALIDATION_FAILED');
      }
    });

    it('filters by closingBefore', async () => {
      expect(await query(`closingBefore=${encodeURIComponent(inSeconds(15 * DAY))}`)).toEqual([made.en]);
      expect(await query(`closingBefore=${encodeURIComponent(inSeconds(25 * DAY))}`)).toEqual(
        sorted([made.en, made.gone]),
      );
      expectProblem(await get('/briefs?closingBefore=next-week', lister), 400, 'VALIDATION_FAILED');
    });

    it('pages with limit and cursor, newest first, without repeats', async () => {
      const seen: string[] = [];
      const sizes: number[] = [];
      let cursor: string | null = null;
      for (let page = 0; page < 5; page++) {
        const res: Response = await get(
          `/briefs?limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
          lister,
        ).expect(200);
        seen.push(...ids(res));
        sizes.push(res.body.items.length);
        cursor = res.body.nextCursor;
        if (!cursor) break;
      }
      expect(sizes).toEqual([2, 2, 1]);
      expect(seen).toEqual([made.bare, made.gone, made.ru, made.en, made.kz]);
    });

    it('rejects a bad limit or cursor with 400', async () => {
      for (const bad of ['limit=0', 'limit=101', 'limit=abc', 'limit=2.5']) {
        expectProblem(await get(`/briefs?${bad}`, lister), 400, 'VALIDATION_FAILED');
      }
      expectProblem(await get('/briefs?cursor=garbage', lister), 400, 'INVALID_CURSOR');
    });

    it('finds Kazakh words in the title, whole, by prefix and in any case', async () => {
      for (const q of ['әуендері', 'әуен', 'ӘУЕНДЕРІ', 'Дала әуен']) {
        expect(await query(`q=${encodeURIComponent(q)}`)).toEqual([made.kz]);
      }
    });

    it('finds Russian words in the synopsis, in any case', async () => {
      expect(await query(`q=${encodeURIComponent('степи')}`)).toEqual([made.kz]);
      expect(await query(`q=${encodeURIComponent('СТЕПИ')}`)).toEqual([made.kz]);
      expect(await query(`q=${encodeURIComponent('развлекательная программа')}`)).toEqual([made.ru]);
    });

    it('finds English words, in any case, combined with other filters', async () => {
      expect(await query('q=RIDERS')).toEqual([made.en]);
      expect(await query(`q=${encodeURIComponent('altai mountain')}`)).toEqual([made.en]);
      expect(await query('q=riders&status=draft')).toEqual([]);
      const asStudio = ids(
        await get(`/briefs?q=${encodeURIComponent('Развлекательная')}`, sDoc.producer).expect(200),
      );
      expect(asStudio).toEqual([]);
      const riders = ids(await get('/briefs?q=riders', sDoc.producer).expect(200));
      expect(riders).toContain(made.en);
    });

    it('returns no items for a query that matches nothing', async () => {
      for (const q of ['zzqqxx', 'әуенщщ', '!!!']) {
        const res = await get(`/briefs?q=${encodeURIComponent(q)}`, lister).expect(200);
        expect(res.body).toEqual({ items: [], nextCursor: null });
      }
    });
  });

  describe('GET /briefs text search over many briefs (walk, then the GIN index)', () => {
    let owner: Actor;
    // 2,100 published briefs, newest first: g = 1 is the newest. The walk covers g ≤ 2,000.
    const WORDS = `CASE
        WHEN g <= 30 THEN 'ақжелкен'                            -- common and recent: the walk fills the page
        WHEN g > 2097 THEN 'бетасөз'                            -- only old ones: the walk finds none
        WHEN g BETWEEN 1001 AND 1010 OR g BETWEEN 2051 AND 2065 THEN 'гаммасөз' -- 10 recent + 15 old
        ELSE 'filler' END`;

    beforeAll(async () => {
      owner = await registerOrganisation(t, { kind: 'broadcaster' });
      await t.db.query(
        `INSERT INTO briefs (broadcaster_id, created_by, status, title, synopsis, genre, format, episodes,
                             episode_minutes, languages, budget_min, budget_max, currency, rights, delivery_spec,
                             questions_close_at, bids_close_at, delivery_due_at, criteria, visibility, published_at,
                             created_at, updated_at)
         SELECT $1, $2, 'published', 'Search ' || g || ' ' || ${WORDS}, 'Synopsis ' || g, 'drama', 'series', 1, 30,
                '{kk}', 100, 1000, 'KZT', '{"territories":["KZ"],"licenceYears":1,"runs":1,"platforms":["linear"]}',
                '{"notes":"x"}', now() + interval '10 days', now() + interval '20 days', now() + interval '90 days',
                '[{"name":"all","weight":100}]', 'open', now(), now() - g * interval '1 minute', now()
           FROM generate_series(1, 2100) g`,
        [owner.organisationId, owner.userId],
      );
      await t.db.query('ANALYZE briefs');
    });

    /** Every page of a search, through the cursor. */
    const pages = async (word: string, limit: number): Promise<string[][]> => {
      const out: string[][] = [];
      let cursor: string | null = null;
      do {
        const res: Response = await get(
          `/briefs?q=${encodeURIComponent(word)}&limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`,
          owner,
        ).expect(200);
        out.push(res.body.items.map((i: { id: string }) => i.id));
        cursor = res.body.nextCursor;
      } while (cursor);
      return out;
    };
    const expected = async (word: string): Promise<string[]> =>
      (
        await t.db.query<{ id: string }>(
          `SELECT id FROM briefs WHERE broadcaster_id = $1 AND search @@ to_tsquery('simple', $2)
            ORDER BY created_at DESC, id DESC`,
          [owner.organisationId, `${word}:*`],
        )
      ).rows.map((r) => r.id);

    it.each([
      ['a word on the 30 newest briefs (found by the walk)', 'ақжелкен', 30],
      ['a word only on briefs older than the walk (found by the index)', 'бетасөз', 3],
      ['a word on 10 recent and 15 old briefs (the walk finds too few, the index all)', 'гаммасөз', 25],
    ])('finds %s, newest first, on every page', async (_label, word, total) => {
      const all = await expected(word);
      expect(all).toHaveLength(total);
      const got = await pages(word, 20);
      expect(got.flat()).toEqual(all);
      expect(got.map((p) => p.length)).toEqual(total > 20 ? [20, total - 20] : [total]);
    });

    it('finds the same briefs with a prefix and with a second word', async () => {
      expect((await pages('гамма', 100)).flat()).toEqual(await expected('гаммасөз'));
      expect((await pages('ақжелкен search', 100)).flat()).toEqual(await expected('ақжелкен'));
    });
  });

  describe('GET /briefs/{id}', () => {
    it('counts submitted bids in bidCount but not drafts, and is closed once bidsCloseAt passes', async () => {
      const body = briefBody({ closesIn: 3, questionsIn: 1 });
      const id = await publishBrief(t, b.commissioner, body);
      await submitBid(t, sDoc.producer, id);
      await post(`/briefs/${id}/bids`, sDrama.producer, bidBody()).expect(201);
      const operator = await login(t, OPERATOR.email, OPERATOR.password);
      for (const who of [b.commissioner, operator]) {
        const res = await get(`/briefs/${id}`, who).expect(200);
        expect(res.body).toMatchObject({ status: 'published', bidCount: 1 });
      }
      // How contested the tender is stays hidden from the competition (the bidder included) until
      // the deadline, in the brief and in the list.
      for (const who of [sDoc.producer, sDrama.producer, sBystander.producer]) {
        const res = await get(`/briefs/${id}`, who).expect(200);
        expect(res.body).toMatchObject({ status: 'published', bidCount: null });
        expect((await listAll(who)).find((x) => x.id === id)).toMatchObject({ bidCount: null });
      }

      await waitUntilPast(t, body.bidsCloseAt as string);
      for (const who of [b.commissioner, sDoc.producer, sBystander.producer]) {
        const res = await get(`/briefs/${id}`, who).expect(200);
        expect(res.body).toMatchObject({ status: 'closed', bidCount: 1 });
      }
      expect((await listAll(b.commissioner, 'status=closed')).map((x) => x.id)).toContain(id);
      expect((await listAll(b.commissioner, 'status=published')).map((x) => x.id)).not.toContain(id);
      expectProblem(
        await post(`/briefs/${id}/amendments`, b.commissioner, {
          changes: { bidsCloseAt: later(body.bidsCloseAt, 7 * DAY) },
          reason: 'Too late to amend',
        }),
        409,
        'BRIEF_STATE_CONFLICT',
      );
    });

    it('answers 404 for an unknown id and 400 for a malformed one', async () => {
      expectProblem(await get(`/briefs/${randomUUID()}`, b.commissioner), 404, 'NOT_FOUND');
      expectProblem(await get('/briefs/not-a-uuid', b.commissioner), 400);
      expectProblem(await get(`/briefs/${randomUUID()}`), 401, 'UNAUTHENTICATED');
    });
  });

  describe('POST /briefs/{id}/amendments', () => {
    it('refuses to amend a draft with 409', async () => {
      const id = await createBrief(t, b.commissioner);
      expectProblem(
        await post(`/briefs/${id}/amendments`, b.commissioner, {
          changes: { title: 'Amended' },
          reason: 'Why not',
        }),
        409,
        'BRIEF_STATE_CONFLICT',
      );
    });

    it('refuses to move any deadline earlier with 422 DEADLINE_MOVED_EARLIER', async () => {
      const body = briefBody();
      const id = await publishBrief(t, b.commissioner, body);
      for (const field of ['bidsCloseAt', 'questionsCloseAt', 'deliveryDueAt']) {
        const changes = { [field]: later(body[field], -DAY) };
        expectProblem(
          await post(`/briefs/${id}/amendments`, b.commissioner, { changes, reason: 'Sooner please' }),
          422,
          'DEADLINE_MOVED_EARLIER',
        );
      }
      const res = await get(`/briefs/${id}`, b.commissioner).expect(200);
      expect(res.body.amendments).toEqual([]);
      expect(res.body.bidsCloseAt).toBe(body.bidsCloseAt);
    });

    it('within the notice period accepts only an amendment that extends bidsCloseAt by the notice', async () => {
      const body = briefBody({ closesIn: 1800, questionsIn: 900 });
      const id = await publishBrief(t, b.commissioner, body);
      const amend = (changes: object) =>
        post(`/briefs/${id}/amendments`, b.commissioner, { changes, reason: 'Late clarification' });
      expectProblem(await amend({ title: 'A late new title' }), 422, 'AMENDMENT_NOTICE');
      expectProblem(
        await amend({ title: 'A late new title', bidsCloseAt: later(body.bidsCloseAt, 1800) }),
        422,
        'AMENDMENT_NOTICE',
      );
      expectProblem(await amend({ bidsCloseAt: later(body.bidsCloseAt, 3599) }), 422, 'AMENDMENT_NOTICE');
      const ok = await amend({ title: 'A late new title', bidsCloseAt: later(body.bidsCloseAt, 3600) });
      expect(ok.status).toBe(201);
      expect(ok.body).toMatchObject({
        status: 'published',
        title: 'A late new title',
        bidsCloseAt: later(body.bidsCloseAt, 3600),
      });
      expect(ok.body.amendments).toHaveLength(1);
    });

    it('records the amendment, returns submitted bids to draft and notifies the studios concerned', async () => {
      const body = briefBody();
      const id = await publishBrief(t, b.commissioner, body);
      const bid = await submitBid(t, sDoc.producer, id);
      expect(bid.status).toBe('submitted');
      expect(bid.receipt).not.toBeNull();
      await post(`/briefs/${id}/questions`, sDrama.producer, { text: 'Is archive footage allowed?' }).expect(
        201,
      );

      const changes = { synopsis: 'A revised synopsis.', bidsCloseAt: later(body.bidsCloseAt, 7 * DAY) };
      const res = await post(`/briefs/${id}/amendments`, b.commissioner, {
        changes,
        reason: 'Schedule moved',
      });
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({ ...changes, status: 'published', bidCount: 0 });

      const seen = await get(`/briefs/${id}`, sBystander.producer).expect(200);
      expect(seen.body.amendments).toEqual([
        {
          id: expect.stringMatching(UUID),
          changes,
          reason: 'Schedule moved',
          createdAt: expect.stringMatching(ISO),
        },
      ]);
      expect(seen.body.synopsis).toBe('A revised synopsis.');

      const own = await get(`/bids/${bid.id}`, sDoc.producer).expect(200);
      expect(own.body).toMatchObject({ id: bid.id, status: 'draft', receipt: null });

      await waitForNotification(t, sDoc.producer, 'brief.amended', { briefId: id });
      await waitForNotification(t, sDrama.producer, 'brief.amended', { briefId: id });
      expect(await hasNotification(sBystander.producer, 'brief.amended', id)).toBe(false);
    });

    it('refuses a studio (403), broadcaster finance (403) and another broadcaster (404)', async () => {
      const id = await publishBrief(t, b.commissioner);
      const body = { changes: { title: 'Hijacked' }, reason: 'No reason' };
      expectProblem(await post(`/briefs/${id}/amendments`, sDoc.producer, body), 403, 'FORBIDDEN');
      expectProblem(await post(`/briefs/${id}/amendments`, b.finance, body), 403, 'FORBIDDEN');
      expectProblem(await post(`/briefs/${id}/amendments`, b2.commissioner, body), 404, 'NOT_FOUND');
      expectProblem(await post(`/briefs/${id}/amendments`, sDoc.admin, body), 404, 'NOT_FOUND');
    });

    it('rejects unknown fields in changes, a visibility change and a missing reason with 400', async () => {
      const id = await publishBrief(t, b.commissioner);
      for (const body of [
        { changes: { colour: 'red' }, reason: 'Because' },
        { changes: { visibility: 'invited' }, reason: 'Because' },
        { changes: { title: 'A new title' } },
        { changes: { title: 'A new title' }, reason: 'Because', extra: 1 },
        { changes: { genre: null }, reason: 'Because' },
        { changes: { bidsCloseAt: null }, reason: 'Because' },
        { changes: { criteria: null }, reason: 'Because' },
        { changes: { budget: null }, reason: 'Because' },
        { changes: null, reason: 'Because' },
      ]) {
        expectProblem(await post(`/briefs/${id}/amendments`, b.commissioner, body), 400, 'VALIDATION_FAILED');
      }
      const res = await get(`/briefs/${id}`, b.commissioner).expect(200);
      expect(res.body).toMatchObject({ visibility: 'open', genre: 'documentary', amendments: [] });
    });
  });

  describe('POST /briefs/{id}/cancel', () => {
    let closing: Record<string, unknown>;
    let closingId: string;

    beforeAll(async () => {
      // Published early so its deadline passes while the other tests of this block run.
      closing = briefBody({ closesIn: 3, questionsIn: 1 });
      closingId = await publishBrief(t, b.commissioner, closing);
      await submitBid(t, sDrama.producer, closingId);
    });

    it('needs a reason (400 without one)', async () => {
      const id = await createBrief(t, b.commissioner);
      for (const body of [{}, { reason: '' }, { reason: '  ' }, { reason: 42 }]) {
        expectProblem(await post(`/briefs/${id}/cancel`, b.commissioner, body), 400, 'VALIDATION_FAILED');
      }
      expectProblem(await post(`/briefs/${id}/cancel`, b.commissioner), 400);
      expect((await get(`/briefs/${id}`, b.commissioner).expect(200)).body.status).toBe('draft');
    });

    it('cancels a draft with its reason', async () => {
      const id = await createBrief(t, b.commissioner);
      const res = await post(`/briefs/${id}/cancel`, b.commissioner, { reason: 'Budget withdrawn' });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ id, status: 'cancelled', cancelReason: 'Budget withdrawn' });
    });

    it('cancels a published brief and notifies its bidders', async () => {
      const id = await publishBrief(t, b.commissioner);
      await submitBid(t, sDoc.producer, id);
      const res = await post(`/briefs/${id}/cancel`, b.admin, { reason: 'Slot dropped from the schedule' });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ status: 'cancelled', cancelReason: 'Slot dropped from the schedule' });
      const seen = await get(`/briefs/${id}`, sDoc.producer).expect(200);
      expect(seen.body).toMatchObject({
        status: 'cancelled',
        cancelReason: 'Slot dropped from the schedule',
      });
      await waitForNotification(t, sDoc.producer, 'brief.cancelled', { briefId: id });
      expect(await hasNotification(sBystander.producer, 'brief.cancelled', id)).toBe(false);
    });

    it('refuses to cancel twice with 409', async () => {
      const id = await publishBrief(t, b.commissioner);
      await post(`/briefs/${id}/cancel`, b.commissioner, { reason: 'First time' }).expect(200);
      expectProblem(
        await post(`/briefs/${id}/cancel`, b.commissioner, { reason: 'Second time' }),
        409,
        'BRIEF_STATE_CONFLICT',
      );
      expect((await get(`/briefs/${id}`, b.commissioner).expect(200)).body.cancelReason).toBe('First time');
    });

    it('refuses a studio (403), broadcaster finance (403) and another broadcaster (404)', async () => {
      const id = await publishBrief(t, b.commissioner);
      const body = { reason: 'Not yours to cancel' };
      expectProblem(await post(`/briefs/${id}/cancel`, sDoc.producer, body), 403, 'FORBIDDEN');
      expectProblem(await post(`/briefs/${id}/cancel`, b.finance, body), 403, 'FORBIDDEN');
      expectProblem(await post(`/briefs/${id}/cancel`, b2.commissioner, body), 404, 'NOT_FOUND');
      expectProblem(await post(`/briefs/${id}/cancel`, sDoc.admin, body), 404, 'NOT_FOUND');
      expect((await get(`/briefs/${id}`, b.commissioner).expect(200)).body.status).toBe('published');
    });

    it('cancels a closed brief and notifies its bidders', async () => {
      await waitUntilPast(t, closing.bidsCloseAt as string);
      expect((await get(`/briefs/${closingId}`, b.commissioner).expect(200)).body.status).toBe('closed');
      const res = await post(`/briefs/${closingId}/cancel`, b.commissioner, { reason: 'No bid fits' });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ status: 'cancelled', cancelReason: 'No bid fits' });
      await waitForNotification(t, sDrama.producer, 'brief.cancelled', { briefId: closingId });
    });
  });

  describe('Questions', () => {
    let briefId: string;
    let q1: string; // asked by sDoc, answered
    let q2: string; // asked by sDrama, unanswered
    let sDocName: string;
    const QUESTION_KEYS = ['answer', 'askedAt', 'briefId', 'id', 'mine', 'text'];

    const ask = async (who: Actor, id: string, text: string): Promise<string> => {
      const res = await post(`/briefs/${id}/questions`, who, { text });
      if (res.status !== 201) throw new Error(`ask: ${res.status} ${JSON.stringify(res.body)}`);
      return res.body.id as string;
    };
    const questions = async (who: Actor): Promise<Response> =>
      get(`/briefs/${briefId}/questions`, who).expect(200);

    beforeAll(async () => {
      briefId = await publishBrief(t, b.commissioner);
      q1 = await ask(sDoc.producer, briefId, 'Can the series be shot in 4K?');
      q2 = await ask(sDrama.producer, briefId, 'Are co-productions welcome?');
      await post(`/questions/${q1}/answer`, b.commissioner, { text: 'Yes, 4K masters are welcome.' }).expect(
        200,
      );
      sDocName = (await get(`/organisations/${sDoc.admin.organisationId}`, sDoc.admin).expect(200)).body.name;
    });

    it('lets a studio producer ask', async () => {
      const res = await post(`/briefs/${briefId}/questions`, sDoc.producer, {
        text: '  How many shooting days?  ',
      });
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({ text: 'How many shooting days?', mine: true, answer: null, briefId });
      expect(res.body.id).toMatch(UUID);
      expect(res.body.askedAt).toMatch(ISO);
    });

    it('refuses broadcaster users and studio finance with 403', async () => {
      for (const who of [b.commissioner, b.admin, b2.commissioner, b2.admin, sDoc.finance]) {
        expectProblem(
          await post(`/briefs/${briefId}/questions`, who, { text: 'May I ask?' }),
          403,
          'FORBIDDEN',
        );
      }
    });

    it('answers 404 to a studio that cannot see the brief, and 400 to an empty question', async () => {
      expectProblem(
        await post(`/briefs/${briefId}/questions`, sUnverified.producer, { text: 'May I ask?' }),
        404,
        'NOT_FOUND',
      );
      expectProblem(await get(`/briefs/${briefId}/questions`, sUnverified.producer), 404, 'NOT_FOUND');
      const draft = await createBrief(t, b.commissioner);
      expectProblem(
        await post(`/briefs/${draft}/questions`, sDoc.producer, { text: 'May I ask?' }),
        404,
        'NOT_FOUND',
      );
      expectProblem(
        await post(`/briefs/${briefId}/questions`, sDoc.producer, { text: '' }),
        400,
        'VALIDATION_FAILED',
      );
    });

    it('refuses questions after questionsCloseAt with 409 QUESTIONS_CLOSED', async () => {
      const body = briefBody({ questionsIn: 2, closesIn: 600 });
      const id = await publishBrief(t, b.commissioner, body);
      await ask(sDoc.producer, id, 'Asked in time?');
      await waitUntilPast(t, body.questionsCloseAt as string);
      expectProblem(
        await post(`/briefs/${id}/questions`, sDoc.producer, { text: 'Asked too late?' }),
        409,
        'QUESTIONS_CLOSED',
      );
    });

    it('lets the commissioner answer once; a second answer is 409 ALREADY_ANSWERED', async () => {
      const q = await ask(sDoc.admin, briefId, 'Is there a pilot?');
      const res = await post(`/questions/${q}/answer`, b.commissioner, { text: 'No pilot.' });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ id: q, text: 'Is there a pilot?', answer: { text: 'No pilot.' } });
      expect(res.body.answer.answeredAt).toMatch(ISO);
      expectProblem(
        await post(`/questions/${q}/answer`, b.admin, { text: 'Still no pilot.' }),
        409,
        'ALREADY_ANSWERED',
      );
    });

    it('refuses studios (403), broadcaster finance (403) and another broadcaster (404) to answer', async () => {
      const body = { text: 'An answer' };
      expectProblem(await post(`/questions/${q2}/answer`, sDrama.producer, body), 403, 'FORBIDDEN');
      expectProblem(await post(`/questions/${q2}/answer`, sDoc.producer, body), 403, 'FORBIDDEN');
      expectProblem(await post(`/questions/${q2}/answer`, b.finance, body), 403, 'FORBIDDEN');
      expectProblem(await post(`/questions/${q2}/answer`, b2.commissioner, body), 404, 'NOT_FOUND');
      expectProblem(await post(`/questions/${q2}/answer`, sDrama.admin, body), 404, 'NOT_FOUND');
      expectProblem(await post(`/questions/${randomUUID()}/answer`, b.commissioner, body), 404, 'NOT_FOUND');
      const seen = (await questions(b.commissioner)).body.items.find((q: { id: string }) => q.id === q2);
      expect(seen.answer).toBeNull();
    });

    it('pages the questions oldest first with limit and cursor', async () => {
      const all = (await questions(b.commissioner)).body;
      expect(all.nextCursor).toBeNull();
      expect(all.items.length).toBeGreaterThanOrEqual(2);
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const res = await get(
          `/briefs/${briefId}/questions?limit=1${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
          b.commissioner,
        ).expect(200);
        expect(res.body.items).toHaveLength(1);
        seen.push(res.body.items[0].id as string);
        cursor = res.body.nextCursor as string | null;
      } while (cursor !== null && seen.length <= all.items.length);
      expect(seen).toEqual(all.items.map((q: { id: string }) => q.id));
      expect(seen.slice(0, 2)).toEqual([q1, q2]);
      for (const limit of [0, 101]) {
        expectProblem(await get(`/briefs/${briefId}/questions?limit=${limit}`, b.commissioner), 400);
      }
      expectProblem(
        await get(`/briefs/${briefId}/questions?cursor=garbage`, b.commissioner),
        400,
        'INVALID_CURSOR',
      );
    });

    it('shows unanswered questions only to the asker and the broadcaster', async () => {
      const asker = (await questions(sDrama.producer)).body.items.find((q: { id: string }) => q.id === q2);
      expect(asker).toMatchObject({ mine: true, answer: null, studio: { id: sDrama.admin.organisationId } });
      for (const who of [b.commissioner, b.admin]) {
        const seen = (await questions(who)).body.items.find((q: { id: string }) => q.id === q2);
        expect(seen).toMatchObject({
          mine: false,
          answer: null,
          studio: { id: sDrama.admin.organisationId },
        });
      }
      for (const who of [sDoc.producer, sBystander.producer, sBystander.finance]) {
        expect((await questions(who)).body.items.map((q: { id: string }) => q.id)).not.toContain(q2);
      }
    });

    it("shows answered questions to every studio that can see the brief, without the asker's identity", async () => {
      for (const who of [sBystander.producer, sDrama.producer, sDrama.finance]) {
        const res = await questions(who);
        const q = res.body.items.find((x: { id: string }) => x.id === q1);
        expect(q).toMatchObject({
          text: 'Can the series be shot in 4K?',
          mine: false,
          answer: { text: 'Yes, 4K masters are welcome.', answeredAt: expect.stringMatching(ISO) },
        });
        expect(sorted(Object.keys(q))).toEqual(QUESTION_KEYS);
        for (const secret of [
          sDoc.admin.organisationId,
          sDocName,
          sDoc.producer.userId,
          sDoc.producer.email,
        ]) {
          expect(JSON.stringify(res.body)).not.toContain(secret);
          expect(res.text).not.toContain(secret);
        }
      }
      const asker = (await questions(sDoc.producer)).body.items.find((x: { id: string }) => x.id === q1);
      expect(asker).toMatchObject({ mine: true, studio: { id: sDoc.admin.organisationId, name: sDocName } });
      const owner = (await questions(b.commissioner)).body.items.find((x: { id: string }) => x.id === q1);
      expect(owner).toMatchObject({ mine: false, studio: { id: sDoc.admin.organisationId, name: sDocName } });
    });

    it('notifies the asker when the question is answered', async () => {
      await waitForNotification(t, sDoc.producer, 'question.answered', { briefId });
      expect(await hasNotification(sBystander.producer, 'question.answered', briefId)).toBe(false);
    });
  });

  describe('Audit', () => {
    it('records brief.created, brief.published, brief.amended and brief.cancelled', async () => {
      const body = briefBody();
      const id = await publishBrief(t, b.commissioner, body);
      await post(`/briefs/${id}/amendments`, b.commissioner, {
        changes: { bidsCloseAt: later(body.bidsCloseAt, DAY) },
        reason: 'One more day',
      }).expect(201);
      await post(`/briefs/${id}/cancel`, b.commissioner, { reason: 'Cancelled for the audit' }).expect(200);

      const res = await get(`/audit?entityType=brief&entityId=${id}&limit=100`, b.admin).expect(200);
      const actions = (res.body.items as { action: string; entityId: string; actorId: string }[]).map(
        (e) => e.action,
      );
      expect(actions).toEqual(
        expect.arrayContaining(['brief.created', 'brief.published', 'brief.amended', 'brief.cancelled']),
      );
      expect(
        (res.body.items as { entityId: string; actorId: string }[]).every(
          (e) => e.entityId === id && e.actorId === b.commissioner.userId,
        ),
      ).toBe(true);

      expectProblem(await get(`/audit?entityType=brief&entityId=${id}`, b.commissioner), 403, 'FORBIDDEN');
      const other = await get(`/audit?entityType=brief&entityId=${id}`, b2.admin).expect(200);
      expect(other.body.items).toEqual([]);
    });
  });
});
