import { createHash, randomBytes } from 'node:crypto';
import { addMember, bearer, loginOperator, registerOrganisation, type Actor } from './index';
import { api, eventually, type TestApp } from '../utils/app';
import { tusUpload } from '../utils/tus';

export interface Broadcaster {
  admin: Actor;
  commissioner: Actor;
  finance: Actor;
}

export interface Studio {
  admin: Actor;
  producer: Actor;
  finance: Actor;
}

export async function createBroadcaster(t: TestApp): Promise<Broadcaster> {
  const admin = await registerOrganisation(t, { kind: 'broadcaster' });
  return {
    admin,
    commissioner: await addMember(t, admin, 'commissioner'),
    finance: await addMember(t, admin, 'finance'),
  };
}

/** A studio (verified by the operator unless `verified: false`) with genre interests. */
export async function createStudio(
  t: TestApp,
  opts: { verified?: boolean; genres?: string[]; country?: string } = {},
): Promise<Studio> {
  const admin = await registerOrganisation(t, { kind: 'studio', country: opts.country });
  if (opts.genres) {
    await t
      .http()
      .patch(`/api/v1/organisations/${admin.organisationId}`)
      .set(...bearer(admin))
      .send({ genres: opts.genres })
      .expect(200);
  }
  if (opts.verified !== false) {
    const operator = await loginOperator(t);
    await t
      .http()
      .post(`/api/v1/organisations/${admin.organisationId}/verify`)
      .set(...bearer(operator))
      .expect(200);
  }
  return {
    admin,
    producer: await addMember(t, admin, 'producer'),
    finance: await addMember(t, admin, 'finance'),
  };
}

const inSeconds = (s: number): string => new Date(Date.now() + s * 1000).toISOString();

/** A complete brief body; deadlines relative to now (seconds). */
export function briefBody(
  opts: { questionsIn?: number; closesIn?: number; genre?: string; visibility?: 'open' | 'invited' } = {},
): Record<string, unknown> {
  const closesIn = opts.closesIn ?? 30 * 86400;
  return {
    title: 'Дала әуендері: a music documentary series',
    synopsis: 'Қазақ даласының әндері туралы деректі сериал. Документальный сериал о песнях степи.',
    genre: opts.genre ?? 'documentary',
    format: 'documentary',
    episodes: 6,
    episodeMinutes: 44,
    languages: ['kk', 'ru'],
    budget: {
      min: { amount: 50_000_000_00, currency: 'KZT' },
      max: { amount: 120_000_000_00, currency: 'KZT' },
    },
    rights: { territories: ['KZ'], licenceYears: 5, runs: 10, platforms: ['linear', 'vod'] },
    domesticOnly: false,
    deliverySpec: { notes: 'ProRes 422 HQ', resolution: '1920x1080', frameRate: 25, loudnessLufs: -23 },
    questionsCloseAt: inSeconds(opts.questionsIn ?? Math.floor(closesIn / 2)),
    bidsCloseAt: inSeconds(closesIn),
    deliveryDueAt: inSeconds(closesIn + 180 * 86400),
    criteria: [
      { name: 'creative', weight: 50 },
      { name: 'team', weight: 30 },
      { name: 'price', weight: 20 },
    ],
    visibility: opts.visibility ?? 'open',
  };
}

export async function createBrief(t: TestApp, by: Actor, body = briefBody()): Promise<string> {
  const res = await t
    .http()
    .post('/api/v1/briefs')
    .set(...bearer(by))
    .send(body);
  if (res.status !== 201) throw new Error(`create brief: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.id as string;
}

export async function publishBrief(t: TestApp, by: Actor, body = briefBody()): Promise<string> {
  const id = await createBrief(t, by, body);
  const res = await t
    .http()
    .post(`/api/v1/briefs/${id}/publish`)
    .set(...bearer(by));
  if (res.status !== 200) throw new Error(`publish brief: ${res.status} ${JSON.stringify(res.body)}`);
  return id;
}

/** A valid bid body: price split 60/40 in the breakdown and 30/30/40 over milestones. */
export function bidBody(
  price = 100_000_000_00,
  extra: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    price: { amount: price, currency: 'KZT' },
    breakdown: [
      { label: 'Production', amount: { amount: price - Math.floor(price * 0.4), currency: 'KZT' } },
      { label: 'Post-production', amount: { amount: Math.floor(price * 0.4), currency: 'KZT' } },
    ],
    milestones: [
      { title: 'Scripts', share: 30, dueAt: inSeconds(60 * 86400) },
      { title: 'Rough cut', share: 30, dueAt: inSeconds(120 * 86400) },
      { title: 'Master', share: 40, dueAt: inSeconds(200 * 86400) },
    ],
    creativeApproach: 'Observational, with archive sound.',
    team: 'Director A. Ахметова; DoP B. Серіков',
    ...extra,
  };
}

/** A submitted bid, as the API returned it. */
export interface SubmittedBid {
  id: string;
  status: string;
  price: { amount: number; currency: string };
  receipt: { commitment: string; nonce: string; submittedAt: string };
  [field: string]: unknown;
}

export async function submitBid(
  t: TestApp,
  by: Actor,
  briefId: string,
  price?: number,
): Promise<SubmittedBid> {
  const res = await t
    .http()
    .post(`/api/v1/briefs/${briefId}/bids`)
    .set(...bearer(by))
    .send({ ...bidBody(price), submit: true });
  if (res.status !== 201) throw new Error(`submit bid: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body as SubmittedBid;
}

/** Waits until the database clock has passed `iso`. */
export async function waitUntilPast(t: TestApp, iso: string): Promise<void> {
  for (;;) {
    const { rows } = await t.db.query<{ past: boolean }>('SELECT now() > $1::timestamptz AS past', [iso]);
    if (rows[0]?.past) return;
    await new Promise((r) => setTimeout(r, 100));
  }
}

/**
 * An awarded brief's contract, signed by both parties (active), with its milestones. `brief`
 * overrides fields of the brief; `draft` runs while the brief is still a draft (its QC profile).
 */
export async function activeContract(
  t: TestApp,
  b: Broadcaster,
  s: Studio,
  opts: { brief?: Record<string, unknown>; draft?: (briefId: string) => Promise<void> } = {},
): Promise<{
  contractId: string;
  briefId: string;
  milestones: { id: string; amount: { amount: number } }[];
}> {
  const body = { ...briefBody({ closesIn: 2, questionsIn: 1 }), ...opts.brief };
  const briefId = await createBrief(t, b.commissioner, body);
  await opts.draft?.(briefId);
  const published = await t
    .http()
    .post(api(`/briefs/${briefId}/publish`))
    .set(...bearer(b.commissioner));
  if (published.status !== 200)
    throw new Error(`publish brief: ${published.status} ${JSON.stringify(published.body)}`);
  const bid = await submitBid(t, s.producer, briefId);
  await waitUntilPast(t, body.bidsCloseAt as string);
  const contractId = await awardBid(t, b.commissioner, briefId, bid.id);
  const contract = await signCurrentTerms(t, b, s, contractId);
  return { contractId, briefId, milestones: contract.milestones };
}

/** Awards the bid of the (closed) brief; returns the new draft contract's id. */
export async function awardBid(t: TestApp, by: Actor, briefId: string, bidId: string): Promise<string> {
  const res = await t
    .http()
    .post(api(`/briefs/${briefId}/award`))
    .set(...bearer(by))
    .send({ bidId });
  if (res.status !== 201) throw new Error(`award: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.contractId as string;
}

/**
 * Both parties (the broadcaster's commissioner, the studio's producer) sign the contract's
 * current terms: the contract becomes active. Returns the contract as read before signing.
 */
export async function signCurrentTerms(
  t: TestApp,
  b: Broadcaster,
  s: Studio,
  contractId: string,
): Promise<{ termsHash: string; milestones: { id: string; amount: { amount: number } }[] }> {
  const contract = await t
    .http()
    .get(api(`/contracts/${contractId}`))
    .set(...bearer(b.commissioner));
  for (const signer of [b.commissioner, s.producer]) {
    const res = await t
      .http()
      .post(api(`/contracts/${contractId}/sign`))
      .set(...bearer(signer))
      .send({ termsHash: contract.body.termsHash });
    if (res.status !== 200) throw new Error(`sign: ${res.status} ${JSON.stringify(res.body)}`);
  }
  return contract.body;
}

/** An awarded (draft) contract with the brief and the bid it came from. */
export interface DraftContract {
  contractId: string;
  briefId: string;
  bid: SubmittedBid & { milestones: { title: string; share: number; dueAt: string }[] };
}

/**
 * Awarded (draft) contracts, one per item (the parties, the bid body to submit and optionally
 * brief fields over briefBody's): every brief closes at the same instant a few seconds from now,
 * so the whole batch waits for one deadline.
 */
export async function draftContracts(
  t: TestApp,
  items: {
    broadcaster: Broadcaster;
    studio: Studio;
    bid: Record<string, unknown>;
    brief?: Record<string, unknown>;
  }[],
): Promise<DraftContract[]> {
  const body = briefBody({ closesIn: 6, questionsIn: 1 });
  const bids = await Promise.all(
    items.map(async ({ broadcaster, studio, bid, brief }) => {
      const briefId = await publishBrief(t, broadcaster.commissioner, { ...body, ...brief });
      const res = await t
        .http()
        .post(api(`/briefs/${briefId}/bids`))
        .set(...bearer(studio.producer))
        .send({ ...bid, submit: true });
      if (res.status !== 201) throw new Error(`submit bid: ${res.status} ${JSON.stringify(res.body)}`);
      return { briefId, bid: res.body as DraftContract['bid'] };
    }),
  );
  await waitUntilPast(t, body.bidsCloseAt as string);
  return Promise.all(
    bids.map(async ({ briefId, bid }, i) => ({
      contractId: await awardBid(t, items[i]!.broadcaster.commissioner, briefId, bid.id),
      briefId,
      bid,
    })),
  );
}

/** Uploads a small verified deliverable to a milestone, submits it and has it accepted. */
export async function deliverAndAccept(
  t: TestApp,
  b: Broadcaster,
  s: Studio,
  milestoneId: string,
): Promise<void> {
  await deliverAndSubmit(t, s, milestoneId);
  const res = await t
    .http()
    .post(`/api/v1/milestones/${milestoneId}/accept`)
    .set(...bearer(b.commissioner));
  if (res.status !== 200) throw new Error(`accept: ${res.status} ${JSON.stringify(res.body)}`);
}

/** Uploads a small verified deliverable to a milestone and submits it for review. */
export async function deliverAndSubmit(t: TestApp, s: Studio, milestoneId: string): Promise<void> {
  const data = randomBytes(64 * 1024);
  const reg = await t
    .http()
    .post(`/api/v1/milestones/${milestoneId}/deliverables`)
    .set(...bearer(s.producer))
    .send({
      kind: 'script',
      fileName: 'script.pdf',
      size: data.length,
      sha256: createHash('sha256').update(data).digest('hex'),
      contentType: 'application/pdf',
    });
  if (reg.status !== 201) throw new Error(`register deliverable: ${reg.status} ${JSON.stringify(reg.body)}`);
  await tusUpload(reg.body.uploadUrl, s.producer.token, data);
  await eventually(async () => {
    const list = await t
      .http()
      .get(`/api/v1/milestones/${milestoneId}/deliverables`)
      .set(...bearer(s.producer));
    return list.body.items.some(
      (d: { id: string; status: string }) => d.id === reg.body.deliverable.id && d.status === 'ready',
    );
  });
  const res = await t
    .http()
    .post(`/api/v1/milestones/${milestoneId}/submit`)
    .set(...bearer(s.producer));
  if (res.status !== 200) throw new Error(`submit: ${res.status} ${JSON.stringify(res.body)}`);
}

/**
 * Registers `data` as a deliverable of the milestone and uploads it with the tus client; resolves
 * with its id once its checksum is verified (`ready`).
 */
export async function uploadDeliverable(
  t: TestApp,
  s: Studio,
  milestoneId: string,
  data: Buffer,
  file: { kind: string; fileName: string; contentType: string },
): Promise<string> {
  const reg = await t
    .http()
    .post(api(`/milestones/${milestoneId}/deliverables`))
    .set(...bearer(s.producer))
    .send({ ...file, size: data.length, sha256: createHash('sha256').update(data).digest('hex') });
  if (reg.status !== 201) throw new Error(`register deliverable: ${reg.status} ${JSON.stringify(reg.body)}`);
  const id = reg.body.deliverable.id as string;
  await tusUpload(reg.body.uploadUrl, s.producer.token, data);
  await eventually(async () => {
    const { rows } = await t.db.query<{ status: string }>('SELECT status FROM deliverables WHERE id = $1', [
      id,
    ]);
    return rows[0]?.status === 'ready';
  }, 30000);
  return id;
}
