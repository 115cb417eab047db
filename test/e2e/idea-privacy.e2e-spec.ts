import { createPublicKey, verify } from 'node:crypto';
import type { Response } from 'supertest';
import { bearer, loginOperator } from '../factories';
import { createBroadcaster, type Broadcaster } from '../factories/commissioning';
import { openIdeaCall } from '../factories/ideas';
import { api, eventually, startApp, type TestApp } from '../utils/app';
import { mailsTo } from '../utils/mail';

// The whole public side of ideas, through the routes only: submissions by e-mail-confirmed
// people, votes, reports, the receipt e-mail's erase link. Then every public answer is searched
// for personal data, and erasure is shown to keep the receipt and the audit chain valid.

const SUBMITTERS = [
  { name: 'Credited Aigerim', email: 'credited.aigerim@mail.kz', credit: true },
  { name: 'Anonymous Daniyar', email: 'anonymous.daniyar@mail.kz', credit: false },
];
const VOTER = 'voter.saule@mail.kz';
const REPORTER = 'reporter.nurlan@mail.kz';
const CLIENT_IPS = ['203.0.113.7', '203.0.113.8', '203.0.113.9'];

/** Keys (at any depth) of a JSON value. */
function keysOf(value: unknown, out: string[] = []): string[] {
  if (Array.isArray(value)) for (const v of value) keysOf(v, out);
  else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      out.push(k);
      keysOf(v, out);
    }
  }
  return out;
}

const PERSONAL_KEY = /^(e-?mail|ip|ipHash|ip_hash|address|consent\w*)$/i;

describe('Ideas: personal data on the public side', () => {
  let t: TestApp;
  let b: Broadcaster;
  let callId: string;
  const ideaIds: string[] = [];
  const receipts: { ideaId: string; sha256: string; receivedAt: string; signature: string; keyId: string }[] =
    [];
  /** Every public answer of the flow, by route, for the crawl. */
  const answers: { route: string; res: Response }[] = [];

  const publicCall = async (method: 'get' | 'post', path: string, body?: object, ip = CLIENT_IPS[0]!) => {
    const req = t.http()[method](api(path)).set('X-Forwarded-For', ip);
    const res = body === undefined ? await req : await req.send(body);
    answers.push({ route: `${method.toUpperCase()} ${path}`, res });
    return res;
  };

  beforeAll(async () => {
    t = await startApp({ IDEA_MIN_FORM_SECONDS: '0', TRUST_PROXY: '127.0.0.1' });
    b = await createBroadcaster(t);
    callId = await openIdeaCall(t, b.commissioner);
    for (const [i, s] of SUBMITTERS.entries()) {
      const form = await publicCall('get', `/public/idea-calls/${callId}/form`);
      const res = await publicCall(
        'post',
        `/public/idea-calls/${callId}/ideas`,
        {
          title: `Ideas of the steppe ${i}`,
          logline: 'A logline about the steppe.',
          description: 'A description of the programme.',
          name: s.name,
          email: s.email,
          consent: true,
          consentVersion: 'ideas-consent-2026-12',
          credit: s.credit,
          formToken: form.body.formToken,
        },
        CLIENT_IPS[i],
      );
      expect(res.status).toBe(201);
      ideaIds.push(res.body.idea.id);
      receipts.push(res.body.receipt);
    }
    for (const id of ideaIds) {
      await t
        .http()
        .post(api(`/ideas/${id}/approve`))
        .set(...bearer(b.commissioner))
        .expect(200);
    }
    // A confirmed vote (token from the e-mail) and a report.
    expect((await publicCall('post', `/public/ideas/${ideaIds[0]}/votes`, { email: VOTER })).status).toBe(
      202,
    );
    const [voteMail] = await eventually(async () => {
      const m = await mailsTo(t, VOTER);
      return m.length ? m : undefined;
    });
    const voteToken = new URL(
      /https?:\/\/\S+votes\/confirm\S+/.exec(voteMail!.text ?? '')![0],
    ).searchParams.get('token');
    expect((await publicCall('post', '/public/votes/confirm', { token: voteToken })).status).toBe(200);
    expect(
      (await publicCall('post', `/public/ideas/${ideaIds[1]}/reports`, { email: REPORTER, reason: 'spam' }))
        .status,
    ).toBe(202);
    await publicCall('post', '/public/receipts/verify', { ideaId: ideaIds[0], sha256: receipts[0]!.sha256 });
  });
  afterAll(() => t.close());

  it('finds no e-mail, address or consent, and no uncredited name, in any public answer', async () => {
    // Every public GET of the OpenAPI document, with this call's and ideas' ids.
    const doc = (await t.http().get('/docs-json').expect(200)).body as {
      paths: Record<string, Record<string, { parameters?: { in: string; required?: boolean }[] }>>;
    };
    // Every public GET that needs no query parameter (the audit proofs need a leaf hash or tree
    // sizes and show hashes only).
    const publicGets = Object.entries(doc.paths)
      .filter(
        ([path, ops]) =>
          ops.get &&
          path.startsWith('/public') &&
          !(ops.get.parameters ?? []).some((p) => p.in === 'query' && p.required),
      )
      .map(([path]) => path);
    expect(publicGets.length).toBeGreaterThanOrEqual(5);
    for (const path of publicGets) {
      const res = await publicCall('get', path.replace('{id}', callId));
      // The latest tree head is 404 until the sequencer has signed one.
      const ok = path === '/public/audit/tree-heads/latest' ? [200, 404] : [200];
      expect({ path, ok: ok.includes(res.status) }).toEqual({ path, ok: true });
    }

    const { rows } = await t.db.query<{ ip_hash: string }>('SELECT ip_hash FROM idea_submitters');
    const secrets = [
      ...SUBMITTERS.map((s) => s.email),
      VOTER,
      REPORTER,
      ...CLIENT_IPS,
      ...rows.map((r) => r.ip_hash),
      'ideas-consent-2026-12',
    ];
    for (const { route, res } of answers) {
      const text = JSON.stringify(res.body);
      expect({ route, keys: keysOf(res.body).filter((k) => PERSONAL_KEY.test(k)) }).toEqual({
        route,
        keys: [],
      });
      for (const secret of secrets)
        expect({ route, leaks: text.includes(secret) }).toEqual({ route, leaks: false });
      // The submitter's own receipt carries their name in `canonical` (what was hashed); no other
      // answer names the one who did not want to be credited.
      if (!route.endsWith('/ideas') || !route.startsWith('POST')) {
        expect({ route, leaks: text.includes(SUBMITTERS[1]!.name) }).toEqual({ route, leaks: false });
      }
    }
    const listed = answers.find((a) => a.route === `GET /public/idea-calls/${callId}/ideas`)!.res.body
      .items as {
      id: string;
      credit: { name: string } | null;
    }[];
    expect(Object.fromEntries(listed.map((i) => [i.id, i.credit]))).toEqual({
      [ideaIds[0]!]: { name: SUBMITTERS[0]!.name },
      [ideaIds[1]!]: null,
    });
  });

  it('documents no personal field in the responses of public operations', async () => {
    const doc = (await t.http().get('/docs-json').expect(200)).body as {
      paths: Record<string, Record<string, { responses?: Record<string, unknown> }>>;
      components: { schemas: Record<string, unknown> };
    };
    // Resolves $refs one level at a time until no new schema appears.
    const seen = new Set<string>();
    const walk = (v: unknown): string[] => {
      if (Array.isArray(v)) return v.flatMap(walk);
      if (!v || typeof v !== 'object') return [];
      const o = v as Record<string, unknown>;
      const out: string[] = [];
      if (typeof o.$ref === 'string') {
        const name = o.$ref.split('/').pop()!;
        if (!seen.has(name)) {
          seen.add(name);
          out.push(...walk(doc.components.schemas[name]));
        }
      }
      if (o.properties && typeof o.properties === 'object') out.push(...Object.keys(o.properties));
      for (const [k, x] of Object.entries(o)) if (k !== '$ref') out.push(...walk(x));
      return out;
    };
    for (const [path, ops] of Object.entries(doc.paths)) {
      if (!path.startsWith('/public')) continue;
      for (const [method, op] of Object.entries(ops)) {
        const ok = Object.entries(op.responses ?? {}).filter(([status]) => status.startsWith('2'));
        const names = walk(ok.map(([, r]) => r)).filter((k) => PERSONAL_KEY.test(k));
        expect({ operation: `${method} ${path}`, names }).toEqual({
          operation: `${method} ${path}`,
          names: [],
        });
      }
    }
  });

  it('erases through the e-mailed link and keeps the receipt and the audit chain valid', async () => {
    const s = SUBMITTERS[0]!;
    const receipt = receipts[0]!;
    const [mail] = await eventually(async () => {
      const m = (await mailsTo(t, s.email)).filter((x) => x.text?.includes('/ideas/erase'));
      return m.length ? m : undefined;
    });
    const eraseUrl = new URL(/https?:\/\/\S+\/ideas\/erase\S+/.exec(mail!.text ?? '')![0]);
    const erased = await publicCall('post', '/public/ideas/erase', {
      token: eraseUrl.searchParams.get('token'),
    });
    expect(erased.status).toBe(200);
    expect(erased.body).toEqual({ ideaId: receipt.ideaId, erased: true });

    const { rows } = await t.db.query('SELECT 1 FROM idea_submitters WHERE idea_id = $1', [receipt.ideaId]);
    expect(rows).toEqual([]);
    // Still verifiable: by the route, and by the signature with the published key.
    const check = await publicCall('post', '/public/receipts/verify', {
      ideaId: receipt.ideaId,
      sha256: receipt.sha256,
    });
    expect(check.body).toEqual({ received: true, receivedAt: receipt.receivedAt });
    const keys = (await t.http().get(api('/public/keys')).expect(200)).body.items as {
      keyId: string;
      use: string;
      publicKey: string;
    }[];
    const key = keys.find((k) => k.keyId === receipt.keyId && k.use === 'idea-receipt')!;
    const publicKey = createPublicKey({
      key: { kty: 'OKP', crv: 'Ed25519', x: Buffer.from(key.publicKey, 'base64').toString('base64url') },
      format: 'jwk',
    });
    const message = `efir-idea-receipt.v1\n${receipt.sha256}\n${receipt.receivedAt}\n${receipt.ideaId}`;
    expect(verify(null, Buffer.from(message), publicKey, Buffer.from(receipt.signature, 'base64'))).toBe(
      true,
    );

    const operator = await loginOperator(t);
    const chain = await t
      .http()
      .get(api('/audit/verify'))
      .set(...bearer(operator))
      .expect(200);
    expect(chain.body).toMatchObject({ valid: true });
    const audit = await t.db.query<{ text: string }>(
      'SELECT row_to_json(a)::text AS text FROM audit_events a',
    );
    for (const { text } of audit.rows) {
      for (const x of [...SUBMITTERS.flatMap((p) => [p.name, p.email]), VOTER, REPORTER, ...CLIENT_IPS]) {
        expect(text.includes(x)).toBe(false);
      }
    }
    // The erased idea names nobody anywhere now, the link is spent.
    const again = await publicCall('post', '/public/ideas/erase', {
      token: eraseUrl.searchParams.get('token'),
    });
    expect(again.status).toBe(410);
  });
});
