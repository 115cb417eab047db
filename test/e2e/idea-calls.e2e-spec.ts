import type { Response } from 'supertest';
import { bearer, type Actor } from '../factories';
import {
  createBroadcaster,
  createStudio,
  waitUntilPast,
  type Broadcaster,
  type Studio,
} from '../factories/commissioning';
import { API, startApp, type TestApp } from '../utils/app';
import { expectProblem } from '../utils/expect';

const DAY = 86400;
const inSeconds = (s: number): string => new Date(Date.now() + s * 1000).toISOString();
const ids = (res: Response): string[] => (res.body.items as { id: string }[]).map((i) => i.id);

function callBody(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    title: 'Stories of the steppe',
    description: 'Documentary ideas about\nlife on the steppe.',
    genres: ['documentary'],
    languages: ['kk', 'ru'],
    closesAt: inSeconds(30 * DAY),
    votingEnabled: true,
    ...overrides,
  };
}

describe('Idea calls', () => {
  let t: TestApp;
  let b: Broadcaster;
  let b2: Broadcaster;
  let s: Studio;

  const get = (path: string, who?: Actor) => {
    const r = t.http().get(`${API}${path}`);
    return who ? r.set(...bearer(who)) : r;
  };
  const post = (path: string, who: Actor, body?: object) => {
    const r = t
      .http()
      .post(`${API}${path}`)
      .set(...bearer(who));
    return body === undefined ? r : r.send(body);
  };
  const patch = (path: string, who: Actor, body: object) =>
    t
      .http()
      .patch(`${API}${path}`)
      .set(...bearer(who))
      .send(body);

  const countCalls = async (broadcasterId: string): Promise<number> => {
    const { rows } = await t.db.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM idea_calls WHERE broadcaster_id = $1',
      [broadcasterId],
    );
    return rows[0]!.n;
  };

  const createCall = async (who: Actor, overrides: Record<string, unknown> = {}): Promise<string> => {
    const res = await post('/idea-calls', who, callBody(overrides)).expect(201);
    return res.body.id as string;
  };

  const openCall = async (who: Actor, overrides: Record<string, unknown> = {}): Promise<string> => {
    const id = await createCall(who, overrides);
    await post(`/idea-calls/${id}/open`, who).expect(200);
    return id;
  };

  beforeAll(async () => {
    t = await startApp();
    [b, b2, s] = await Promise.all([createBroadcaster(t), createBroadcaster(t), createStudio(t)]);
  });

  afterAll(async () => {
    await t.close();
  });

  it('creates a call in draft for a broadcaster, and records it in the audit log', async () => {
    const body = callBody();
    const res = await post('/idea-calls', b.commissioner, body).expect(201);
    expect(res.body).toEqual({
      id: expect.any(String),
      broadcaster: { id: b.admin.organisationId, name: expect.any(String) },
      title: body.title,
      description: body.description,
      genres: ['documentary'],
      languages: ['kk', 'ru'],
      closesAt: body.closesAt,
      votingEnabled: true,
      status: 'draft',
      cancelReason: null,
      openedAt: null,
      createdAt: expect.any(String),
    });
    const { rows } = await t.db.query<{ action: string }>(
      `SELECT action FROM audit_events WHERE entity_type = 'idea_call' AND entity_id = $1`,
      [res.body.id],
    );
    expect(rows.map((r) => r.action)).toEqual(['idea_call.created']);
    await get(`/idea-calls/${res.body.id as string}`, b.finance).expect(200);
  });

  it('refuses a studio (403) and a broadcaster role without the right (403)', async () => {
    expectProblem(await post('/idea-calls', s.admin, callBody()), 403);
    expectProblem(await post('/idea-calls', s.producer, callBody()), 403);
    expectProblem(await post('/idea-calls', b.finance, callBody()), 403);
    expect(await countCalls(s.admin.organisationId)).toBe(0);
  });

  it.each([
    ['no title', { title: undefined }],
    ['a title over 150 characters', { title: 'x'.repeat(151) }],
    ['a title with a line break', { title: 'two\nlines' }],
    ['a description over 5000 characters', { description: 'x'.repeat(5001) }],
    ['a description with a control character', { description: 'bell \u0007' }],
    ['an unknown language', { languages: ['de'] }],
    ['no language', { languages: [] }],
    ['genres that are not an array', { genres: 'documentary' }],
    ['too many genres', { genres: Array.from({ length: 21 }, (_, i) => `g${i}`) }],
    ['closesAt that is not ISO 8601', { closesAt: 'next friday' }],
    ['votingEnabled that is not a boolean', { votingEnabled: 'yes' }],
    ['an unknown field', { budget: 5 }],
  ])('refuses %s with 400 and stores nothing', async (_name, overrides) => {
    const before = await countCalls(b2.admin.organisationId);
    expectProblem(await post('/idea-calls', b2.commissioner, callBody(overrides)), 400);
    expect(await countCalls(b2.admin.organisationId)).toBe(before);
  });

  it('edits a draft, and refuses to edit an open call (409)', async () => {
    const id = await createCall(b.commissioner);
    const res = await patch(`/idea-calls/${id}`, b.commissioner, { title: 'A new title' }).expect(200);
    expect(res.body).toMatchObject({ id, title: 'A new title', status: 'draft' });
    await post(`/idea-calls/${id}/open`, b.commissioner).expect(200);
    expectProblem(
      await patch(`/idea-calls/${id}`, b.commissioner, { title: 'Too late' }),
      409,
      'IDEA_CALL_STATE_CONFLICT',
    );
  });

  it('refuses to open a call whose closesAt has passed (422)', async () => {
    const id = await createCall(b.commissioner, { closesAt: inSeconds(-60) });
    expectProblem(await post(`/idea-calls/${id}/open`, b.commissioner), 422, 'CLOSES_AT_PAST');
    expect((await get(`/idea-calls/${id}`, b.commissioner).expect(200)).body.status).toBe('draft');
  });

  it('opens a call: the public reads and lists it, without a token', async () => {
    const id = await createCall(b.commissioner);
    expectProblem(await get(`/public/idea-calls/${id}`), 404);
    const opened = await post(`/idea-calls/${id}/open`, b.commissioner).expect(200);
    expect(opened.body).toMatchObject({ id, status: 'open', openedAt: expect.any(String) });
    const pub = await get(`/public/idea-calls/${id}`).expect(200);
    expect(pub.body).toMatchObject({ id, status: 'open', broadcaster: { id: b.admin.organisationId } });
    expect(ids(await get('/public/idea-calls?limit=100').expect(200))).toContain(id);
    expectProblem(await post(`/idea-calls/${id}/open`, b.commissioner), 409, 'IDEA_CALL_STATE_CONFLICT');
  });

  it('hides a call from another broadcaster and from studios (404)', async () => {
    const id = await openCall(b.commissioner);
    expectProblem(await get(`/idea-calls/${id}`, b2.commissioner), 404);
    expectProblem(await get(`/idea-calls/${id}`, s.admin), 404);
    expectProblem(await post(`/idea-calls/${id}/cancel`, b2.commissioner, { reason: 'not mine' }), 404);
    expect(ids(await get('/idea-calls?limit=100', b2.commissioner).expect(200))).not.toContain(id);
  });

  it('cancels a call: it leaves the public view, and stays listed to its broadcaster', async () => {
    const id = await openCall(b.commissioner);
    const res = await post(`/idea-calls/${id}/cancel`, b.commissioner, { reason: 'Budget moved' }).expect(
      200,
    );
    expect(res.body).toMatchObject({ id, status: 'cancelled', cancelReason: 'Budget moved' });
    expectProblem(await get(`/public/idea-calls/${id}`), 404);
    expect(ids(await get('/public/idea-calls?limit=100').expect(200))).not.toContain(id);
    expect(ids(await get('/idea-calls?limit=100', b.commissioner).expect(200))).toContain(id);
    expectProblem(
      await post(`/idea-calls/${id}/cancel`, b.commissioner, { reason: 'again' }),
      409,
      'IDEA_CALL_STATE_CONFLICT',
    );
    const { rows } = await t.db.query<{ action: string }>(
      `SELECT action FROM audit_events WHERE entity_type = 'idea_call' AND entity_id = $1 ORDER BY seq`,
      [id],
    );
    expect(rows.map((r) => r.action)).toEqual([
      'idea_call.created',
      'idea_call.opened',
      'idea_call.cancelled',
    ]);
  });

  it('reads a call as closed once closesAt passes by the database clock', async () => {
    const closesAt = inSeconds(3);
    const id = await openCall(b.commissioner, { closesAt });
    expect(ids(await get('/public/idea-calls?limit=100').expect(200))).toContain(id);
    await waitUntilPast(t, closesAt);
    expect((await get(`/idea-calls/${id}`, b.commissioner).expect(200)).body.status).toBe('closed');
    expectProblem(await get(`/public/idea-calls/${id}`), 404);
    expect(ids(await get('/public/idea-calls?limit=100').expect(200))).not.toContain(id);
    expectProblem(
      await post(`/idea-calls/${id}/cancel`, b.commissioner, { reason: 'too late' }),
      409,
      'IDEA_CALL_STATE_CONFLICT',
    );
  });

  it('pages the lists with limit and cursor, newest first', async () => {
    const paged = await createBroadcaster(t);
    const first = await openCall(paged.commissioner);
    const second = await openCall(paged.commissioner);
    const page1 = await get('/idea-calls?limit=1', paged.commissioner).expect(200);
    expect(ids(page1)).toEqual([second]);
    expect(page1.body.nextCursor).toEqual(expect.any(String));
    const page2 = await get(
      `/idea-calls?limit=1&cursor=${encodeURIComponent(page1.body.nextCursor as string)}`,
      paged.commissioner,
    ).expect(200);
    expect(ids(page2)).toEqual([first]);
    expect(page2.body.nextCursor).toBeNull();

    const pub1 = await get('/public/idea-calls?limit=1').expect(200);
    expect(pub1.body.items).toHaveLength(1);
    expect(pub1.body.nextCursor).toEqual(expect.any(String));
    const pub2 = await get(
      `/public/idea-calls?limit=1&cursor=${encodeURIComponent(pub1.body.nextCursor as string)}`,
    ).expect(200);
    expect(pub2.body.items).toHaveLength(1);
    expect(ids(pub2)).not.toEqual(ids(pub1));
    expectProblem(await get('/public/idea-calls?cursor=garbage'), 400);
  });
});
