import Ajv, { type ValidateFunction } from 'ajv-draft-04';
import addFormats from 'ajv-formats';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  bidBody,
  briefBody,
  createBrief,
  createBroadcaster,
  createStudio,
  deliverAndAccept,
  publishBrief,
  signCurrentTerms,
  waitUntilPast,
  type Broadcaster,
  type Studio,
} from '../factories/commissioning';
import { bearer, type Actor } from '../factories';
import { api, eventually, startApp, type TestApp } from '../utils/app';

// OCDS 1.1 open data (api.md "Transparency"), validated offline against the official 1.1.5
// schemas and codelists copied into test/fixtures/ocds (see its SOURCE.md), plus the checks a
// data-review tool makes.

type Json = string | number | boolean | null | Json[] | { [key: string]: Json };
type Obj = { [key: string]: Json };
/** A release or compiled release, as parsed (shapes are checked by the schema, not by types). */
type Release = Obj & { ocid: string; id: string; date: string; tag: string[] };

const FIXTURES = join(__dirname, '..', 'fixtures', 'ocds');
const SCHEMA = 'https://standard.open-contracting.org/schema/1__1__5/';

function validators(): { releasePackage: ValidateFunction; recordPackage: ValidateFunction } {
  const ajv = new Ajv({ strict: false, allErrors: true });
  addFormats(ajv);
  for (const file of [
    'release-schema.json',
    'versioned-release-validation-schema.json',
    'release-package-schema.json',
    'record-package-schema.json',
  ]) {
    const schema = JSON.parse(readFileSync(join(FIXTURES, file), 'utf8')) as { id: string };
    ajv.addSchema(schema, schema.id);
  }
  return {
    releasePackage: ajv.getSchema(`${SCHEMA}release-package-schema.json`)!,
    recordPackage: ajv.getSchema(`${SCHEMA}record-package-schema.json`)!,
  };
}

/** The codes of a closed codelist (the first column of its CSV). */
function codelist(name: string): Set<string> {
  const lines = readFileSync(join(FIXTURES, 'codelists', `${name}.csv`), 'utf8')
    .trim()
    .split(/\r?\n/);
  return new Set(lines.slice(1).map((l) => l.split(',')[0]!.replace(/^"|"$/g, '')));
}

const CODELISTS = {
  releaseTag: codelist('releaseTag'),
  tenderStatus: codelist('tenderStatus'),
  awardStatus: codelist('awardStatus'),
  contractStatus: codelist('contractStatus'),
  partyRole: codelist('partyRole'),
  method: codelist('method'),
  milestoneStatus: codelist('milestoneStatus'),
  milestoneType: codelist('milestoneType'),
  awardCriteria: codelist('awardCriteria'),
  procurementCategory: codelist('procurementCategory'),
  submissionMethod: codelist('submissionMethod'),
  currency: codelist('currency'),
};

const show = (v: Json | undefined): string => JSON.stringify(v) ?? 'undefined';
const objects = (v: Json | undefined): Obj[] => (Array.isArray(v) ? (v as Obj[]) : []);
const obj = (v: Json | undefined): Obj => (v && typeof v === 'object' && !Array.isArray(v) ? v : {});

/** Every problem a data-review tool would report for one release (or compiled release). */
function reviewRelease(r: Release): string[] {
  const problems: string[] = [];
  const walk = (v: Json, path: string): void => {
    if (v === '' || v === null) problems.push(`${path} is ${JSON.stringify(v)}`);
    else if (Array.isArray(v)) {
      if (!v.length) problems.push(`${path} is []`);
      v.forEach((x, i) => walk(x, `${path}[${i}]`));
    } else if (typeof v === 'object') {
      if (!Object.keys(v).length) problems.push(`${path} is {}`);
      for (const [k, x] of Object.entries(v)) walk(x, `${path}.${k}`);
    } else if (typeof v === 'string' && /@|e-?mail/i.test(v) && !path.endsWith('.uri')) {
      problems.push(`${path} looks like an e-mail address: ${v}`);
    }
  };
  walk(r, r.id);
  const inList = (list: keyof typeof CODELISTS, v: Json | undefined, path: string): void => {
    if (v !== undefined && !CODELISTS[list].has(v as string))
      problems.push(`${path}: ${show(v)} not in ${list}`);
  };
  r.tag.forEach((t) => inList('releaseTag', t, 'tag'));
  const tender = obj(r.tender);
  inList('tenderStatus', tender.status, 'tender.status');
  inList('method', tender.procurementMethod, 'tender.procurementMethod');
  inList('awardCriteria', tender.awardCriteria, 'tender.awardCriteria');
  inList('procurementCategory', tender.mainProcurementCategory, 'tender.mainProcurementCategory');
  (tender.submissionMethod as string[] | undefined)?.forEach((m) =>
    inList('submissionMethod', m, 'submissionMethod'),
  );
  const parties = new Map(objects(r.parties).map((p) => [p.id as string, p]));
  objects(r.parties).forEach((p) =>
    (p.roles as string[]).forEach((role) => inList('partyRole', role, 'roles')),
  );
  const references: [string, Json | undefined][] = [
    ['buyer', r.buyer],
    ['tender.procuringEntity', tender.procuringEntity],
    ...objects(tender.tenderers).map((x): [string, Json] => ['tender.tenderers', x]),
  ];
  for (const a of objects(r.awards)) {
    inList('awardStatus', a.status, 'awards.status');
    objects(a.suppliers).forEach((s) => references.push(['awards.suppliers', s]));
  }
  for (const c of objects(r.contracts)) {
    inList('contractStatus', c.status, 'contracts.status');
    const impl = obj(c.implementation);
    for (const m of objects(impl.milestones)) {
      inList('milestoneStatus', m.status, 'milestones.status');
      inList('milestoneType', m.type, 'milestones.type');
    }
    for (const tx of objects(impl.transactions)) {
      references.push(['transactions.payer', tx.payer], ['transactions.payee', tx.payee]);
    }
  }
  for (const [path, ref] of references) {
    if (ref === undefined) continue;
    const { id, name } = obj(ref);
    const p = parties.get(id as string);
    if (!p) problems.push(`${path} ${show(id)} is not a party`);
    else if (p.name !== name)
      problems.push(`${path} ${show(id)} is named ${show(name)}, its party ${show(p.name)}`);
  }
  // Every currency of every value.
  const currencies = (v: Json, path: string): void => {
    if (Array.isArray(v)) v.forEach((x) => currencies(x, path));
    else if (v && typeof v === 'object') {
      if (typeof v.currency === 'string') inList('currency', v.currency, `${path}.currency`);
      for (const [k, x] of Object.entries(v)) currencies(x, `${path}.${k}`);
    }
  };
  currencies(r, r.id);
  return problems;
}

/** Order of the process's dates and the money paid, on a compiled release. */
function reviewProcess(c: Release): string[] {
  const problems: string[] = [];
  const tender = obj(c.tender);
  const tenderEnd = obj(tender.tenderPeriod).endDate as string | undefined;
  const before = (a: string | undefined, b: string | undefined, what: string): void => {
    if (a && b && Date.parse(a) > Date.parse(b)) problems.push(`${what}: ${a} > ${b}`);
  };
  for (const period of ['tenderPeriod', 'enquiryPeriod']) {
    before(obj(tender[period]).startDate as string, obj(tender[period]).endDate as string, period);
  }
  for (const a of objects(c.awards)) before(tenderEnd, a.date as string, 'tender end ≤ award');
  for (const k of objects(c.contracts)) {
    const award = objects(c.awards).find((a) => a.id === k.awardID);
    if (!award) problems.push(`contract ${show(k.id)} has no award ${show(k.awardID)}`);
    before(award?.date as string, k.dateSigned as string, 'award ≤ signature');
    const txs = objects(obj(k.implementation).transactions);
    for (const tx of txs) before(k.dateSigned as string, tx.date as string, 'signature ≤ payment');
    const paid = txs.reduce((s, tx) => s + Math.round((obj(tx.value).amount as number) * 100), 0);
    if (paid > Math.round((obj(k.value).amount as number) * 100))
      problems.push(`transactions ${paid} > contract value`);
  }
  return problems;
}

const pathOf = (uri: string): string => {
  const u = new URL(uri);
  return `${u.pathname}${u.search}`;
};

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

describe('OCDS open data', () => {
  let t: TestApp;
  const env = {
    BRIEF_MIN_BID_WINDOW_SECONDS: '0',
    BRIEF_AMENDMENT_MIN_NOTICE_SECONDS: '0',
    PAYOUT_DUAL_APPROVAL_THRESHOLD: '900000000000000',
    OCDS_OCID_PREFIX: 'ocds-efir01',
    OCDS_PUBLISHER_BIN: '000140000036',
  };
  const v = validators();
  let pub: Broadcaster;
  let closed: Broadcaster;
  let s1: Studio;
  let s2: Studio;

  // The public brief driven through the whole process, and what it left in the database.
  let briefId: string;
  let ocid: string;
  let bidsCloseAt: string;
  let contractId: string;

  const get = (path: string) => t.http().get(api(path));
  const post = (path: string, who: Actor, body: object = {}, key?: string) => {
    const req = t
      .http()
      .post(api(path))
      .set(...bearer(who));
    if (key) void req.set('Idempotency-Key', key);
    return req.send(body);
  };

  /** Every due outbox event handled (so every handler, ours included, has run). */
  const drained = (): Promise<true> =>
    eventually(async () => {
      const { rows } = await t.db.query<{ n: number }>(
        'SELECT count(*)::int AS n FROM outbox WHERE handled_at IS NULL AND available_at <= now()',
      );
      const unsequenced = await t.db.query<{ n: number }>(
        'SELECT count(*)::int AS n FROM ocds_releases WHERE seq IS NULL',
      );
      return rows[0]!.n === 0 && unsequenced.rows[0]!.n === 0;
    }, 30000);

  /** The published record of the process once it holds `n` releases. */
  const recordWith = (n: number) =>
    eventually(async () => {
      const res = await get(`/open-data/ocds/records/${ocid}`);
      return res.status === 200 && (res.body.records[0].releases as Release[]).length === n ? res : undefined;
    }, 30000);

  /** Every page of the release feed from the start (limit `limit`), validated. */
  async function allPages(limit: number): Promise<{ texts: string[]; releases: Release[] }> {
    const texts: string[] = [];
    const releases: Release[] = [];
    let url = api(`/open-data/ocds/releases?limit=${limit}`);
    for (;;) {
      const res = await t.http().get(url).expect(200);
      expect(res.headers['content-type']).toMatch(/^application\/json/);
      texts.push(res.text);
      if (!res.body.releases.length) break;
      expect(v.releasePackage(res.body)).toBe(true);
      releases.push(...(res.body.releases as Release[]));
      url = pathOf(res.body.links.next as string);
    }
    return { texts, releases };
  }

  beforeAll(async () => {
    t = await startApp(env);
    [pub, closed, s1, s2] = await Promise.all([
      createBroadcaster(t),
      createBroadcaster(t),
      createStudio(t, { genres: ['documentary'] }),
      createStudio(t, { genres: ['documentary'] }),
    ]);
    await t
      .http()
      .patch(api(`/organisations/${pub.admin.organisationId}`))
      .set(...bearer(pub.admin))
      .send({ publicBody: true })
      .expect(200);
  });

  afterAll(async () => {
    await t?.close();
  });

  it('answers an empty feed with 200 and releases: [], and 404 for an unknown process', async () => {
    const res = await get('/open-data/ocds/releases').expect(200);
    expect(res.body).toMatchObject({ version: '1.1', releases: [], license: expect.any(String) });
    expect(res.body.publisher).toEqual({ name: 'Efir', scheme: 'KZ-BIN', uid: '000140000036' });
    expect(res.body.links).toBeUndefined();
    await get(`/open-data/ocds/records/ocds-efir01-${randomUUID()}`).expect(404);
    await get('/open-data/ocds/releases?limit=0').expect(400);
    await get('/open-data/ocds/releases?limit=101').expect(400);
    await get('/open-data/ocds/releases?cursor=abc').expect(400);
    await get('/open-data/ocds/releases?since=yesterday').expect(400);
  });

  describe('one public brief from publication to completion', () => {
    let bids: { id: string; studio: Studio }[];

    it('records the tender at publication, with nothing about bids', async () => {
      const body = briefBody({ closesIn: 12, questionsIn: 6 });
      bidsCloseAt = body.bidsCloseAt as string;
      briefId = await publishBrief(t, pub.commissioner, body);
      ocid = `ocds-efir01-${briefId}`;
      const res = await recordWith(1);
      const tender = (res.body.records[0].releases as Release[])[0]!;
      expect(tender).toMatchObject({
        ocid,
        id: expect.stringMatching(/^brief\.published-\d+$/),
        tag: ['tender'],
      });
      const { rows } = await t.db.query<{ published_at: Date; budget_max: string }>(
        'SELECT published_at, budget_max FROM briefs WHERE id = $1',
        [briefId],
      );
      expect(tender.date).toBe(rows[0]!.published_at.toISOString());
      expect(tender.tender).toMatchObject({
        id: briefId,
        status: 'active',
        procurementMethod: 'open',
        awardCriteria: 'ratedCriteria',
        awardCriteriaDetails: 'Weighted criteria: creative 50%, team 30%, price 20%',
        value: { amount: Number(rows[0]!.budget_max) / 100, currency: 'KZT' },
        items: [{ id: '1', quantity: 6, unit: { name: 'episode' } }],
        tenderPeriod: { startDate: tender.date, endDate: new Date(bidsCloseAt).toISOString() },
      });
      expect(Number(rows[0]!.budget_max)).toBe(120_000_000_00);
      expect(obj(tender.tender).value).toEqual({ amount: 120_000_000, currency: 'KZT' });
      expect(tender.parties).toEqual([
        {
          id: pub.admin.organisationId,
          name: expect.any(String),
          identifier: {
            scheme: 'KZ-BIN',
            id: expect.stringMatching(/^\d{12}$/),
            legalName: expect.any(String),
          },
          roles: ['buyer', 'procuringEntity'],
        },
      ]);
    });

    it('records an amendment with tender.amendments', async () => {
      await post(`/briefs/${briefId}/amendments`, pub.commissioner, {
        changes: { episodes: 8 },
        reason: 'Two more episodes',
      }).expect(201);
      const res = await recordWith(2);
      const amendment = (res.body.records[0].releases as Release[])[1]!;
      expect(amendment.tag).toEqual(['tenderAmendment']);
      expect(obj(amendment.tender).items).toEqual([
        expect.objectContaining({ quantity: 8, unit: { name: 'episode' } }),
      ]);
      expect(obj(amendment.tender).amendments).toEqual([
        {
          id: expect.any(String),
          date: amendment.date,
          rationale: 'Two more episodes',
          description: 'Changed: episodes',
        },
      ]);
    });

    it('names the tenderers and their number only after the close (tenderUpdate)', async () => {
      const milestones = [
        { title: 'Scripts', share: 50, dueAt: new Date(Date.now() + 60 * 86400e3).toISOString() },
        { title: 'Master', share: 50, dueAt: new Date(Date.now() + 120 * 86400e3).toISOString() },
      ];
      bids = [];
      for (const [studio, price] of [
        [s1, 100_000_000_00],
        [s2, 90_000_000_00],
      ] as const) {
        const res = await post(`/briefs/${briefId}/bids`, studio.producer, {
          ...bidBody(price, { milestones }),
          submit: true,
        }).expect(201);
        bids.push({ id: res.body.id as string, studio });
      }
      await waitUntilPast(t, bidsCloseAt);
      const res = await recordWith(3);
      const update = (res.body.records[0].releases as Release[])[2]!;
      expect(update.tag).toEqual(['tenderUpdate']);
      expect(Date.parse(update.date)).toBeGreaterThanOrEqual(Date.parse(bidsCloseAt));
      expect(obj(update.tender)).toMatchObject({ status: 'active', numberOfTenderers: 2 });
      expect(
        objects(obj(update.tender).tenderers)
          .map((x) => x.id)
          .sort(),
      ).toEqual([s1.admin.organisationId, s2.admin.organisationId].sort());
      // No bid value, no award: only who bid.
      expect(JSON.stringify(update)).not.toContain(bids[0]!.id);
      expect(update.awards).toBeUndefined();
    });

    it('recorded nothing about bids before the deadline', async () => {
      const { rows } = await t.db.query<{ release_text: string }>(
        `SELECT release_text FROM ocds_releases r JOIN briefs b ON b.id = r.brief_id
          WHERE r.brief_id = $1 AND r.recorded_at < b.bids_close_at`,
        [briefId],
      );
      expect(rows.length).toBe(2);
      for (const { release_text: text } of rows) {
        const r = JSON.parse(text) as Release;
        expect(obj(r.tender).numberOfTenderers).toBeUndefined();
        expect(obj(r.tender).tenderers).toBeUndefined();
        expect(r.awards).toBeUndefined();
        for (const studio of [s1, s2]) expect(text).not.toContain(studio.admin.organisationId);
        for (const bid of bids) expect(text).not.toContain(bid.id);
        expect(text).not.toContain('tenderer');
      }
    });

    it('records the award with its pending contract, then the signature (contractUpdate)', async () => {
      const award = await post(`/briefs/${briefId}/award`, pub.commissioner, { bidId: bids[0]!.id }).expect(
        201,
      );
      contractId = award.body.contractId as string;
      const awarded = (await recordWith(4)).body.records[0].releases[3] as Release;
      expect(awarded.tag).toEqual(['award', 'contract']);
      expect(awarded.awards).toEqual([
        {
          id: bids[0]!.id,
          title: expect.any(String),
          status: 'active',
          date: awarded.date,
          value: { amount: 100_000_000, currency: 'KZT' },
          suppliers: [{ id: s1.admin.organisationId, name: expect.any(String) }],
        },
      ]);
      expect(awarded.contracts).toEqual([
        expect.objectContaining({ id: contractId, awardID: bids[0]!.id, status: 'pending' }),
      ]);
      const studioParty = objects(awarded.parties).find((p) => p.id === s1.admin.organisationId);
      expect(studioParty?.roles).toEqual(['tenderer', 'supplier', 'payee']);

      await signCurrentTerms(t, pub, s1, contractId);
      const signed = (await recordWith(5)).body.records[0].releases[4] as Release;
      expect(signed.tag).toEqual(['contractUpdate']);
      const { rows } = await t.db.query<{ activated_at: Date }>(
        'SELECT activated_at FROM contracts WHERE id = $1',
        [contractId],
      );
      expect(objects(signed.contracts)[0]).toMatchObject({
        status: 'active',
        dateSigned: rows[0]!.activated_at.toISOString(),
      });
    });

    it('records two met milestones, one payment and the completion', async () => {
      const contract = await t
        .http()
        .get(api(`/contracts/${contractId}`))
        .set(...bearer(pub.commissioner))
        .expect(200);
      const milestones = contract.body.milestones as { id: string }[];
      expect(milestones).toHaveLength(2);
      for (const m of milestones) await deliverAndAccept(t, pub, s1, m.id);
      await recordWith(7);
      const invoices = await eventually(async () => {
        const res = await t
          .http()
          .get(api('/invoices?limit=100'))
          .set(...bearer(pub.finance));
        const mine = (res.body.items as { id: string; contractId: string }[]).filter(
          (i) => i.contractId === contractId,
        );
        return mine.length === 2 ? mine : undefined;
      });
      const payout = await post(
        '/payouts',
        pub.finance,
        { invoiceIds: invoices.map((i) => i.id) },
        randomUUID(),
      ).expect(201);
      expect(payout.body.status).toBe('approved');
      const paidAt = new Date().toISOString();
      await post(`/payouts/${payout.body.id}/mark-paid`, pub.finance, {
        reference: 'KZ-OCDS-1',
        paidAt,
      }).expect(200);
      const res = await recordWith(9);
      const releases = res.body.records[0].releases as Release[];
      expect(releases.map((r) => r.tag)).toEqual([
        ['tender'],
        ['tenderAmendment'],
        ['tenderUpdate'],
        ['award', 'contract'],
        ['contractUpdate'],
        ['implementation'],
        ['implementation'],
        ['implementation'],
        ['contractTermination'],
      ]);
      const transactions = objects(obj(obj(objects(releases[7]!.contracts)[0]).implementation).transactions);
      expect(transactions.map((x) => x.id).sort()).toEqual(invoices.map((i) => i.id).sort());
      expect(transactions.every((x) => x.date === paidAt)).toBe(true);
      expect(objects(releases[8]!.contracts)[0]).toEqual({
        id: contractId,
        awardID: bids[0]!.id,
        status: 'terminated',
      });
    });

    it('publishes packages valid against the OCDS 1.1.5 schemas, passing the data-review checks', async () => {
      await drained();
      const record = (await get(`/open-data/ocds/records/${ocid}`).expect(200)).body;
      expect(v.recordPackage(record)).toBe(true);
      expect(v.recordPackage.errors ?? null).toBeNull();
      const { releases } = await allPages(3);
      const mine = releases.filter((r) => r.ocid === ocid);
      expect(mine).toHaveLength(9);
      const keys = releases.map((r) => `${r.ocid} ${r.id}`);
      expect(new Set(keys).size).toBe(keys.length);
      const compiled = record.records[0].compiledRelease as Release;
      for (const r of [...releases, compiled]) expect(reviewRelease(r)).toEqual([]);
      expect(reviewProcess(compiled)).toEqual([]);
      // No person: the users' names and e-mail addresses appear nowhere.
      const { rows } = await t.db.query<{ email: string; full_name: string }>(
        'SELECT email, full_name FROM users',
      );
      const text = JSON.stringify(record);
      for (const u of rows) {
        expect(text).not.toContain(u.email);
        expect(text).not.toContain(u.full_name);
      }
    });

    it('compiles a release equal to the state in the database', async () => {
      const record = (await get(`/open-data/ocds/records/${ocid}`).expect(200)).body;
      const c = record.records[0].compiledRelease as Release;
      const releases = record.records[0].releases as Release[];
      const db = async <R>(sql: string, params: unknown[]): Promise<R[]> =>
        (await t.db.query(sql, params)).rows as R[];
      const [brief] = await db<{ status: string; episodes: number; bids_close_at: Date; budget_max: string }>(
        'SELECT status, episodes, bids_close_at, budget_max FROM briefs WHERE id = $1',
        [briefId],
      );
      const [contract] = await db<{
        status: string;
        value_amount: string;
        activated_at: Date;
        created_at: Date;
      }>('SELECT status, value_amount, activated_at, created_at FROM contracts WHERE id = $1', [contractId]);
      const milestones = await db<{ id: string; status: string; reviewed_at: Date; due_at: Date }>(
        'SELECT id, status, reviewed_at, due_at FROM milestones WHERE contract_id = $1 ORDER BY sequence',
        [contractId],
      );
      const invoices = await db<{ id: string; amount: string; status: string }>(
        'SELECT id, amount, status FROM invoices WHERE contract_id = $1 ORDER BY issued_at, id',
        [contractId],
      );
      expect(brief!.status).toBe('awarded');
      expect(contract!.status).toBe('completed');
      expect(c).toMatchObject({
        ocid,
        id: `${ocid}-compiled`,
        date: releases.at(-1)!.date,
        tag: ['compiled'],
        initiationType: 'tender',
        buyer: { id: pub.admin.organisationId },
      });
      expect(obj(c.tender)).toMatchObject({
        status: 'complete',
        numberOfTenderers: 2,
        items: [expect.objectContaining({ quantity: brief!.episodes })],
        value: { amount: Number(brief!.budget_max) / 100, currency: 'KZT' },
        tenderPeriod: { endDate: brief!.bids_close_at.toISOString() },
      });
      expect(c.awards).toEqual([
        expect.objectContaining({
          status: 'active',
          date: contract!.created_at.toISOString(),
          value: { amount: Number(contract!.value_amount) / 100, currency: 'KZT' },
        }),
      ]);
      const k = objects(c.contracts)[0]!;
      expect(k).toMatchObject({
        id: contractId,
        status: 'terminated', // OCDS: signed, in force, and now come to a close (Efir: completed)
        dateSigned: contract!.activated_at.toISOString(),
        value: { amount: Number(contract!.value_amount) / 100, currency: 'KZT' },
      });
      expect(objects(obj(k.implementation).milestones)).toEqual(
        milestones.map((m) => ({
          id: m.id,
          title: expect.any(String),
          type: 'delivery',
          dueDate: m.due_at.toISOString(),
          status: m.status === 'paid' ? 'met' : 'scheduled',
          dateMet: m.reviewed_at.toISOString(),
        })),
      );
      expect(milestones.every((m) => m.status === 'paid')).toBe(true);
      expect(objects(obj(k.implementation).transactions).map((x) => [x.id, obj(x.value).amount])).toEqual(
        invoices.map((i) => [i.id, Number(i.amount) / 100]),
      );
      expect(invoices.every((i) => i.status === 'paid')).toBe(true);
      const roles = Object.fromEntries(objects(c.parties).map((p) => [p.id as string, p.roles]));
      expect(roles).toEqual({
        [pub.admin.organisationId]: ['buyer', 'procuringEntity', 'payer'],
        [s1.admin.organisationId]: ['tenderer', 'supplier', 'payee'],
        [s2.admin.organisationId]: ['tenderer'],
      });
    });

    it('serves the same release ids and bytes twice, and after a restart on the same database', async () => {
      const first = await allPages(4);
      const record = (await get(`/open-data/ocds/records/${ocid}`).expect(200)).text;
      const again = await allPages(4);
      expect(again.texts).toEqual(first.texts);
      expect((await get(`/open-data/ocds/records/${ocid}`).expect(200)).text).toBe(record);
      const database = t.database;
      await t.stop();
      t = await startApp(env, {}, { database });
      const restarted = await allPages(4);
      expect(restarted.releases.map((r) => r.id)).toEqual(first.releases.map((r) => r.id));
      expect(restarted.texts).toEqual(first.texts);
      expect((await get(`/open-data/ocds/records/${ocid}`).expect(200)).text).toBe(record);
    });
  });

  it('never publishes a draft, nor anything of a broadcaster that is not a public body', async () => {
    const draft = await createBrief(t, pub.commissioner, briefBody());
    const cancelledDraft = await createBrief(t, pub.commissioner, briefBody());
    await post(`/briefs/${cancelledDraft}/cancel`, pub.commissioner, { reason: 'Not needed' }).expect(200);
    const body = briefBody({ closesIn: 3, questionsIn: 1 });
    const hidden = await publishBrief(t, closed.commissioner, body);
    await post(`/briefs/${hidden}/amendments`, closed.commissioner, {
      changes: { episodes: 7 },
      reason: 'One more episode',
    }).expect(201);
    await post(`/briefs/${hidden}/bids`, s2.producer, { ...bidBody(), submit: true }).expect(201);
    await waitUntilPast(t, body.bidsCloseAt as string);
    // The close is recorded by the deadline event; wait for it and for every handler.
    await eventually(async () => {
      const { rows } = await t.db.query('SELECT 1 FROM bid_openings WHERE brief_id = $1', [hidden]);
      return rows.length === 1;
    }, 30000);
    const cancelled = await publishBrief(t, closed.commissioner, briefBody());
    await post(`/briefs/${cancelled}/cancel`, closed.commissioner, { reason: 'Budget withdrawn' }).expect(
      200,
    );
    await drained();
    const ids = [draft, cancelledDraft, hidden, cancelled];
    const { rows } = await t.db.query('SELECT id FROM ocds_releases WHERE brief_id = ANY($1::uuid[])', [ids]);
    expect(rows).toEqual([]);
    // The handlers ran (and did not fail): every event of these briefs is handled.
    const events = await t.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM outbox WHERE payload->'data'->>'briefId' = ANY($1::text[]) AND handled_at IS NULL
          AND available_at <= now()`,
      [ids],
    );
    expect(events.rows[0]!.n).toBe(0);
    for (const id of ids) await get(`/open-data/ocds/records/ocds-efir01-${id}`).expect(404);
    const { releases } = await allPages(100);
    for (const id of ids) expect(releases.some((r) => r.ocid.endsWith(id))).toBe(false);
  });

  it('gives every release exactly once to a reader paging with limit=37 while 200 are written', async () => {
    const many = await createBroadcaster(t);
    await t
      .http()
      .patch(api(`/organisations/${many.admin.organisationId}`))
      .set(...bearer(many.admin))
      .send({ publicBody: true })
      .expect(200);
    const counts = new Map<string, number>();
    let writing = true;
    let pages = 0;
    const reader = (async () => {
      let url = api('/open-data/ocds/releases?limit=37');
      for (;;) {
        const settled = !writing && (await drained());
        const res = await t.http().get(url).expect(200);
        pages++;
        const releases = res.body.releases as Release[];
        if (releases.length) {
          expect(v.releasePackage(res.body)).toBe(true);
          expect(releases.length).toBeLessThanOrEqual(37);
          for (const r of releases)
            counts.set(`${r.ocid} ${r.id}`, (counts.get(`${r.ocid} ${r.id}`) ?? 0) + 1);
          url = pathOf(res.body.links.next as string);
        } else if (settled) {
          return;
        } else {
          await sleep(20);
        }
      }
    })();
    const briefIds: string[] = [];
    const queue = Array.from({ length: 200 }, (_, i) => i);
    await Promise.all(
      Array.from({ length: 8 }, async () => {
        while (queue.shift() !== undefined)
          briefIds.push(await publishBrief(t, many.commissioner, briefBody()));
      }),
    );
    writing = false;
    await reader;
    expect(briefIds).toHaveLength(200);
    expect([...counts.values()].every((n) => n === 1)).toBe(true);
    for (const id of briefIds) {
      expect([...counts.keys()].filter((k) => k.startsWith(`ocds-efir01-${id} `))).toHaveLength(1);
    }
    const { rows } = await t.db.query<{ n: number }>('SELECT count(*)::int AS n FROM ocds_releases');
    expect(counts.size).toBe(rows[0]!.n);
    expect(pages).toBeGreaterThan(200 / 37);
  });
});
