import canonicalize from 'canonicalize';
import MailChecker from 'mailchecker';
import { createHash, createPublicKey, verify } from 'node:crypto';
import type { Response } from 'supertest';
import { bearer } from '../factories';
import { createBroadcaster, waitUntilPast, type Broadcaster } from '../factories/commissioning';
import { openIdeaCall, seedIdea } from '../factories/ideas';
import { api, startApp, type TestApp } from '../utils/app';
import { expectProblem } from '../utils/expect';
import { notificationsAbout, waitForNotification } from '../utils/notifications';

interface Receipt {
  ideaId: string;
  sha256: string;
  canonical: string;
  receivedAt: string;
  signature: string;
  keyId: string;
}

interface Stored {
  ideas: number;
  submitters: number;
  tokens: number;
}

const sha256 = (text: string): string => createHash('sha256').update(Buffer.from(text, 'utf8')).digest('hex');

/** Checks an Ed25519 signature with a published key (base64 of the raw 32 bytes), by node:crypto alone. */
function verifyEd25519(publicKey: string, message: string, signature: string): boolean {
  const key = createPublicKey({
    key: { kty: 'OKP', crv: 'Ed25519', x: Buffer.from(publicKey, 'base64').toString('base64url') },
    format: 'jwk',
  });
  return verify(null, Buffer.from(message, 'utf8'), key, Buffer.from(signature, 'base64'));
}

const receiptMessage = (r: Receipt): string =>
  `efir-idea-receipt.v1\n${r.sha256}\n${r.receivedAt}\n${r.ideaId}`;

/** Personal fields no public answer may carry, whatever their spelling. */
const PERSONAL = /"(e-?mail|ip|ipHash|ip_hash|consent\w*)"\s*:/i;

describe('Idea submissions', () => {
  let t: TestApp;
  let b: Broadcaster;
  let callId: string;
  let lastIp = 0;
  /** A client address of its own for each use (TRUST_PROXY: X-Forwarded-For names the client). */
  const nextIp = (): string => `198.51.100.${++lastIp}`;

  const formFor = async (call: string): Promise<string> => {
    const res = await t.http().get(api(`/public/idea-calls/${call}/form`));
    expect(res.status).toBe(200);
    return res.body.formToken as string;
  };

  /** `n` form tokens for `call`, returned once they are older than IDEA_MIN_FORM_SECONDS (1). */
  const readyTokens = async (call: string, n = 1): Promise<string[]> => {
    const tokens: string[] = [];
    for (let i = 0; i < n; i++) tokens.push(await formFor(call));
    const { rows } = await t.db.query<{ at: Date }>(`SELECT now() + interval '1050 milliseconds' AS at`);
    await waitUntilPast(t, rows[0]!.at.toISOString());
    return tokens;
  };
  const readyToken = async (call: string): Promise<string> => (await readyTokens(call))[0]!;

  const ideaBody = (formToken: string, overrides: Record<string, unknown> = {}): Record<string, unknown> => ({
    title: 'Horses of the steppe',
    logline: 'A year with a family of horse breeders in Zhetysu.',
    description: 'Four seasons, one herd, three generations of a family.',
    name: 'Aigerim Nurlanovna',
    email: 'aigerim@mail.kz',
    consent: true,
    consentVersion: 'ideas-consent-2025-01',
    credit: true,
    formToken,
    ...overrides,
  });

  const submit = (call: string, body: Record<string, unknown>, ip = nextIp()) =>
    t
      .http()
      .post(api(`/public/idea-calls/${call}/ideas`))
      .set('X-Forwarded-For', ip)
      .send(body);

  const verifyReceipt = (ideaId: string, hash: string) =>
    t.http().post(api('/public/receipts/verify')).send({ ideaId, sha256: hash });

  /** What a call has stored (ideas, their submitters) and the used form tokens of the whole app. */
  const stored = async (call: string): Promise<Stored> => {
    const { rows } = await t.db.query<Stored>(
      `SELECT (SELECT count(*)::int FROM ideas WHERE call_id = $1) AS ideas,
              (SELECT count(*)::int FROM idea_submitters s JOIN ideas i ON i.id = s.idea_id
                WHERE i.call_id = $1) AS submitters,
              (SELECT count(*)::int FROM idea_form_tokens_used) AS tokens`,
      [call],
    );
    return rows[0]!;
  };

  /** Runs `refuse` on a fresh call and checks it stored nothing: no idea, submitter or used token. */
  const refusedOnFreshCall = async (refuse: (call: string) => Promise<void>): Promise<string> => {
    const call = await openIdeaCall(t, b.commissioner);
    const before = await stored(call);
    await refuse(call);
    expect(await stored(call)).toEqual({ ideas: 0, submitters: 0, tokens: before.tokens });
    return call;
  };

  const receiptOf = (res: Response): Receipt => res.body.receipt as Receipt;

  beforeAll(async () => {
    t = await startApp({ IDEA_MIN_FORM_SECONDS: '1', TRUST_PROXY: '127.0.0.1' });
    b = await createBroadcaster(t);
    callId = await openIdeaCall(t, b.commissioner);
  });

  afterAll(async () => {
    await t.close();
  });

  describe('the form token', () => {
    it('is issued for an open call only: a draft, cancelled or unknown call is not found', async () => {
      expect(await formFor(callId)).toEqual(expect.any(String));
      const draft = await t
        .http()
        .post(api('/idea-calls'))
        .set(...bearer(b.commissioner))
        .send({
          title: 'A draft call',
          description: 'Not open yet.',
          genres: [],
          languages: ['kk'],
          closesAt: new Date(Date.now() + 86400_000).toISOString(),
          votingEnabled: false,
        })
        .expect(201);
      const cancelled = await openIdeaCall(t, b.commissioner);
      await t
        .http()
        .post(api(`/idea-calls/${cancelled}/cancel`))
        .set(...bearer(b.commissioner))
        .send({ reason: 'Budget moved to another season' })
        .expect(200);
      for (const id of [draft.body.id as string, cancelled, '00000000-0000-4000-8000-000000000000']) {
        expectProblem(await t.http().get(api(`/public/idea-calls/${id}/form`)), 404, 'NOT_FOUND');
      }
    });
  });

  describe('the receipt', () => {
    it('recomputes from the submitted fields, verifies with the published key, and matches what is stored', async () => {
      const body = ideaBody(await readyToken(callId), { credit: false });
      const res = await submit(callId, body);
      expect(res.status).toBe(201);
      const receipt = receiptOf(res);
      expect(res.body).toEqual({
        idea: { id: receipt.ideaId, status: 'pending' },
        receipt: {
          ideaId: expect.stringMatching(/^[0-9a-f-]{36}$/),
          sha256: expect.stringMatching(/^[0-9a-f]{64}$/),
          canonical: expect.any(String),
          receivedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
          signature: expect.any(String),
          keyId: expect.any(String),
        },
        similar: [],
      });

      const canonical = canonicalize({
        callId,
        title: body.title,
        logline: body.logline,
        description: body.description,
        submitterName: body.name,
      });
      expect(receipt.canonical).toBe(canonical);
      expect(receipt.sha256).toBe(sha256(canonical!));

      const keys = await t.http().get(api('/public/keys')).expect(200);
      const key = (keys.body.items as { keyId: string; use: string; publicKey: string }[]).find(
        (k) => k.keyId === receipt.keyId && k.use === 'idea-receipt',
      );
      expect(key).toBeDefined();
      expect(verifyEd25519(key!.publicKey, receiptMessage(receipt), receipt.signature)).toBe(true);
      // the signature covers the time and the id: moved by a millisecond, it no longer verifies
      const shifted = new Date(Date.parse(receipt.receivedAt) + 1).toISOString();
      expect(
        verifyEd25519(key!.publicKey, receiptMessage({ ...receipt, receivedAt: shifted }), receipt.signature),
      ).toBe(false);

      const { rows: ideas } = await t.db.query(
        `SELECT call_id, status, title, logline, description, credit, sha256, signature, key_id, received_at
           FROM ideas WHERE id = $1`,
        [receipt.ideaId],
      );
      expect(ideas).toEqual([
        {
          call_id: callId,
          status: 'pending',
          title: body.title,
          logline: body.logline,
          description: body.description,
          credit: false,
          sha256: receipt.sha256,
          signature: receipt.signature,
          key_id: receipt.keyId,
          received_at: new Date(receipt.receivedAt),
        },
      ]);
      const { rows: submitters } = await t.db.query(
        'SELECT name, email, ip_hash, consent_version FROM idea_submitters WHERE idea_id = $1',
        [receipt.ideaId],
      );
      expect(submitters).toEqual([
        {
          name: body.name,
          email: body.email,
          ip_hash: expect.stringMatching(/^[0-9a-f]{64}$/),
          consent_version: body.consentVersion,
        },
      ]);
      const { rows: audit } = await t.db.query(
        `SELECT actor_id, organisation_id, action, before, after FROM audit_events
          WHERE entity_type = 'idea' AND entity_id = $1`,
        [receipt.ideaId],
      );
      expect(audit).toEqual([
        {
          actor_id: null,
          organisation_id: b.admin.organisationId,
          action: 'idea.submitted',
          before: null,
          after: { status: 'pending', sha256: receipt.sha256 },
        },
      ]);
    });

    it('stays verifiable after rejection and after the submitter is erased; a wrong hash is not received', async () => {
      const res = await submit(
        callId,
        ideaBody(await readyToken(callId), { title: 'A pitch to be rejected' }),
      );
      expect(res.status).toBe(201);
      const receipt = receiptOf(res);
      const received = { received: true, receivedAt: receipt.receivedAt };
      expect((await verifyReceipt(receipt.ideaId, receipt.sha256).expect(200)).body).toEqual(received);

      await t
        .http()
        .post(api(`/ideas/${receipt.ideaId}/reject`))
        .set(...bearer(b.commissioner))
        .send({ reason: 'Not for this call' })
        .expect(200);
      expect((await verifyReceipt(receipt.ideaId, receipt.sha256).expect(200)).body).toEqual(received);
      // Erasure through the e-mailed link is in idea-privacy.e2e-spec.ts; here the row simply goes.
      await t.db.query('DELETE FROM idea_submitters WHERE idea_id = $1', [receipt.ideaId]);
      expect((await verifyReceipt(receipt.ideaId, receipt.sha256.toUpperCase()).expect(200)).body).toEqual(
        received,
      );
      const keys = await t.http().get(api('/public/keys')).expect(200);
      const key = (keys.body.items as { keyId: string; publicKey: string }[]).find(
        (k) => k.keyId === receipt.keyId,
      );
      expect(verifyEd25519(key!.publicKey, receiptMessage(receipt), receipt.signature)).toBe(true);

      const wrong = `${receipt.sha256.slice(0, -1)}${receipt.sha256.endsWith('0') ? '1' : '0'}`;
      expect((await verifyReceipt(receipt.ideaId, wrong).expect(200)).body).toEqual({ received: false });
      expect(
        (await verifyReceipt('00000000-0000-4000-8000-000000000000', receipt.sha256).expect(200)).body,
      ).toEqual({ received: false });
      expectProblem(await verifyReceipt('not-a-uuid', receipt.sha256), 400);
      expectProblem(await verifyReceipt(receipt.ideaId, 'abc'), 400);
    });

    it('changes its hash when one space changes', async () => {
      const [one, two] = await readyTokens(callId, 2);
      const a = await submit(callId, ideaBody(one!, { title: 'Night  trains of the steppe' }));
      const b2 = await submit(callId, ideaBody(two!, { title: 'Night trains of the steppe' }));
      expect([a.status, b2.status]).toEqual([201, 201]);
      expect(receiptOf(a).sha256).not.toBe(receiptOf(b2).sha256);
      expect(JSON.parse(receiptOf(a).canonical)).toMatchObject({ title: 'Night  trains of the steppe' });
      expect(receiptOf(a).sha256).toBe(sha256(receiptOf(a).canonical));
      expect(receiptOf(b2).sha256).toBe(sha256(receiptOf(b2).canonical));
    });

    it('keeps NFC and NFD Kazakh letters, emoji and repeated spaces byte for byte (only the ends are trimmed)', async () => {
      const nfc = {
        title: 'Қазақ ертегісі: Йошкар мен ёлка',
        logline: 'Әжемнің   үш   ертегісі, йә?  🎬🇰🇿 👩‍👩‍👧',
        description: 'Ұлы дала.  Ғасырлар бойы…\n\nЙә, ёлка да бар. 🐎',
        name: 'Йолдас Әлиев',
      };
      const nfd = Object.fromEntries(
        Object.entries(nfc).map(([k, v]) => [k, v.normalize('NFD')]),
      ) as typeof nfc;
      // Й and ё decompose (И + U+0306, е + U+0308); Қ, Ә, Ұ, Ғ have no decomposition
      for (const k of Object.keys(nfc) as (keyof typeof nfc)[]) {
        expect(nfc[k]).toBe(nfc[k].normalize('NFC'));
        expect(nfd[k]).not.toBe(nfc[k]);
      }

      const [one, two] = await readyTokens(callId, 2);
      const results: { sent: typeof nfc; receipt: Receipt }[] = [];
      for (const [sent, token] of [
        [nfc, one!],
        [nfd, two!],
      ] as const) {
        // surrounding whitespace is trimmed before anything is stored or hashed
        const padded = { ...sent, title: `  ${sent.title}\t` };
        const res = await submit(callId, ideaBody(token, padded));
        expect(res.status).toBe(201);
        const receipt = receiptOf(res);
        results.push({ sent, receipt });

        expect(receipt.canonical).toBe(
          canonicalize({
            callId,
            title: sent.title,
            logline: sent.logline,
            description: sent.description,
            submitterName: sent.name,
          }),
        );
        expect(receipt.sha256).toBe(sha256(receipt.canonical));
        const { rows } = await t.db.query<Record<string, string>>(
          `SELECT encode(convert_to(i.title, 'UTF8'), 'hex') AS title,
                  encode(convert_to(i.logline, 'UTF8'), 'hex') AS logline,
                  encode(convert_to(i.description, 'UTF8'), 'hex') AS description,
                  encode(convert_to(s.name, 'UTF8'), 'hex') AS name
             FROM ideas i JOIN idea_submitters s ON s.idea_id = i.id WHERE i.id = $1`,
          [receipt.ideaId],
        );
        const hex = (v: string): string => Buffer.from(v, 'utf8').toString('hex');
        expect(rows[0]).toEqual({
          title: hex(sent.title),
          logline: hex(sent.logline),
          description: hex(sent.description),
          name: hex(sent.name),
        });
      }
      expect(results[0]!.receipt.sha256).not.toBe(results[1]!.receipt.sha256);
      expect(results[0]!.receipt.canonical).not.toBe(results[1]!.receipt.canonical);
    });
  });

  describe('refusals, each storing nothing', () => {
    it('refuses a filled honeypot (422 HONEYPOT); the same form sent empty goes through', async () => {
      let token = '';
      const call = await refusedOnFreshCall(async (c) => {
        token = await readyToken(c);
        expectProblem(
          await submit(c, ideaBody(token, { website: 'https://cheap-pills.example' })),
          422,
          'HONEYPOT',
        );
      });
      expect((await submit(call, ideaBody(token, { website: '' }))).status).toBe(201);
    });

    it('refuses a form sent sooner than IDEA_MIN_FORM_SECONDS after it was issued (422 FORM_TOO_FAST)', async () => {
      // An app of its own whose forms need an hour: the check does not race the test's speed.
      const slow = await startApp({ IDEA_MIN_FORM_SECONDS: '3600' });
      try {
        const sb = await createBroadcaster(slow);
        const call = await openIdeaCall(slow, sb.commissioner);
        const token = (
          await slow
            .http()
            .get(api(`/public/idea-calls/${call}/form`))
            .expect(200)
        ).body.formToken as string;
        const res = await slow
          .http()
          .post(api(`/public/idea-calls/${call}/ideas`))
          .send(ideaBody(token));
        expectProblem(res, 422, 'FORM_TOO_FAST');
        const { rows } = await slow.db.query<{ n: number }>(
          `SELECT (SELECT count(*) FROM ideas)::int + (SELECT count(*) FROM idea_submitters)::int
                + (SELECT count(*) FROM idea_form_tokens_used)::int AS n`,
        );
        expect(rows[0]!.n).toBe(0);
      } finally {
        await slow.close();
      }
    });

    it('refuses a reused form token (422 FORM_TOKEN_INVALID)', async () => {
      const call = await openIdeaCall(t, b.commissioner);
      const token = await readyToken(call);
      expect((await submit(call, ideaBody(token))).status).toBe(201);
      const after = await stored(call);
      expectProblem(
        await submit(
          call,
          ideaBody(token, { title: 'Another idea on the same form', email: 'other@mail.kz' }),
        ),
        422,
        'FORM_TOKEN_INVALID',
      );
      expect(await stored(call)).toEqual(after);
      expect(after).toMatchObject({ ideas: 1, submitters: 1 });
    });

    it('refuses a forged, tampered, malformed or other call’s form token (422 FORM_TOKEN_INVALID)', async () => {
      const otherCallToken = await readyToken(callId);
      await refusedOnFreshCall(async (c) => {
        const own = await readyToken(c);
        const [payload, mac] = own.split('.') as [string, string];
        const flipped = `${payload}.${mac.slice(0, -1)}${mac.endsWith('0') ? '1' : '0'}`;
        const rebound = `${Buffer.from(Buffer.from(payload, 'base64url').toString().replace(c, callId)).toString('base64url')}.${mac}`;
        for (const token of [otherCallToken, flipped, rebound, 'not-a-form-token', `${own}x`]) {
          expectProblem(await submit(c, ideaBody(token)), 422, 'FORM_TOKEN_INVALID');
        }
      });
      // the other call's token was not used up by being refused here
      expect((await submit(callId, ideaBody(otherCallToken, { title: 'Its own call' }))).status).toBe(201);
    });

    it('refuses a disposable e-mail domain from the maintained list (422 EMAIL_DISPOSABLE)', async () => {
      expect(MailChecker.blacklist().has('mailinator.com')).toBe(true);
      let token = '';
      const call = await refusedOnFreshCall(async (c) => {
        token = await readyToken(c);
        for (const email of ['viewer@mailinator.com', 'Viewer@Eu.MAILINATOR.com']) {
          expectProblem(await submit(c, ideaBody(token, { email })), 422, 'EMAIL_DISPOSABLE');
        }
      });
      expect((await submit(call, ideaBody(token, { email: 'viewer@mail.kz' }))).status).toBe(201);
    });

    it('refuses a submission without consent (422 CONSENT_REQUIRED)', async () => {
      await refusedOnFreshCall(async (c) => {
        expectProblem(
          await submit(c, ideaBody(await readyToken(c), { consent: false })),
          422,
          'CONSENT_REQUIRED',
        );
      });
    });

    it('refuses the 6th submission from one address in an hour (429 with Retry-After); another address goes on', async () => {
      const call = await openIdeaCall(t, b.commissioner);
      const tokens = await readyTokens(call, 6);
      const ip = nextIp();
      for (let i = 0; i < 5; i++) {
        expect((await submit(call, ideaBody(tokens[i]!, { title: `Idea number ${i + 1}` }), ip)).status).toBe(
          201,
        );
      }
      const before = await stored(call);
      const res = await submit(call, ideaBody(tokens[5]!, { title: 'Idea number 6' }), ip);
      expectProblem(res, 429, 'RATE_LIMITED');
      expect(res.headers['retry-after']).toMatch(/^[1-9]\d*$/);
      expect(await stored(call)).toEqual(before);
      expect(before).toMatchObject({ ideas: 5, submitters: 5 });
      expect((await submit(call, ideaBody(tokens[5]!, { title: 'Idea number 6' }), nextIp())).status).toBe(
        201,
      );
    });

    it('refuses a call cancelled after the form was issued (409 IDEA_CALL_CLOSED)', async () => {
      await refusedOnFreshCall(async (c) => {
        const token = await readyToken(c);
        await t
          .http()
          .post(api(`/idea-calls/${c}/cancel`))
          .set(...bearer(b.commissioner))
          .send({ reason: 'The season was cancelled' })
          .expect(200);
        expectProblem(await submit(c, ideaBody(token)), 409, 'IDEA_CALL_CLOSED');
      });
    });

    it.each([
      ['a title over 150 characters', { title: 'x'.repeat(151) }],
      ['a logline over 300 characters', { logline: 'x'.repeat(301) }],
      ['a description over 5000 characters', { description: 'x'.repeat(5001) }],
      ['a name on two lines', { name: 'Aigerim\nNurlanovna' }],
      ['a name over 120 characters', { name: 'x'.repeat(121) }],
      ['an address that is not an e-mail', { email: 'aigerim-at-mail.kz' }],
      ['consent that is not a boolean', { consent: 'yes' }],
      ['no consent version', { consentVersion: undefined }],
      ['no credit choice', { credit: undefined }],
      ['an unknown field', { phone: '+7 700 000 0000' }],
    ])('refuses %s with 400', async (_name, overrides) => {
      await refusedOnFreshCall(async (c) => {
        expectProblem(await submit(c, ideaBody(await formFor(c), overrides)), 400, 'VALIDATION_FAILED');
      });
    });
  });

  it('purges used form tokens once their tokens would be refused as expired anyway', async () => {
    await t.db.query(
      `INSERT INTO idea_form_tokens_used (nonce, used_at) VALUES ('old', now() - interval '26 hours'),
         ('recent', now() - interval '23 hours')`,
    );
    const res = await submit(callId, ideaBody(await readyToken(callId), { title: 'A pitch that sweeps' }));
    expect(res.status).toBe(201);
    const { rows } = await t.db.query<{ nonce: string }>(
      `SELECT nonce FROM idea_form_tokens_used WHERE nonce IN ('old', 'recent')`,
    );
    expect(rows.map((r) => r.nonce)).toEqual(['recent']);
  });

  it('lets exactly one of ten concurrent submissions of one form through', async () => {
    const call = await openIdeaCall(t, b.commissioner);
    const token = await readyToken(call);
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) => submit(call, ideaBody(token, { title: `Concurrent idea ${i}` }))),
    );
    const statuses = results.map((r) => r.status).sort();
    expect(statuses).toEqual([201, ...Array<number>(9).fill(422)]);
    for (const r of results.filter((x) => x.status === 422)) expectProblem(r, 422, 'FORM_TOKEN_INVALID');
    expect(await stored(call)).toMatchObject({ ideas: 1, submitters: 1 });
  });

  it('shows the call’s approved ideas that read alike, and no others', async () => {
    const call = await openIdeaCall(t, b.commissioner);
    const title = 'Eagle hunters of the Altai mountains';
    const alike = await seedIdea(t, call, { status: 'approved', title });
    const unrelated = await seedIdea(t, call, { status: 'approved', title: 'Cooking plov with grandmother' });
    const pending = await seedIdea(t, call, { status: 'pending', title });
    const res = await submit(call, ideaBody(await readyToken(call), { title: `${title}!` }));
    expect(res.status).toBe(201);
    const similar = res.body.similar as { id: string; title: string; similarity: number }[];
    expect(similar).toEqual([{ id: alike, title, similarity: expect.any(Number) }]);
    expect(similar[0]!.similarity).toBeGreaterThanOrEqual(0.25);
    expect(similar.map((s) => s.id)).not.toContain(unrelated);
    expect(similar.map((s) => s.id)).not.toContain(pending);
    // The moderation list shows the same, remembered at submission.
    const list = await t
      .http()
      .get(api(`/idea-calls/${call}/ideas?status=pending`))
      .set(...bearer(b.commissioner))
      .expect(200);
    const mine = (list.body.items as { id: string; similar: unknown[] }[]).find(
      (i) => i.id === receiptOf(res).ideaId,
    );
    expect(mine!.similar).toEqual(similar);
  });

  it('tells the call’s commissioners in-app (idea.submitted), not its finance team', async () => {
    const res = await submit(callId, ideaBody(await readyToken(callId), { title: 'Winter on the Caspian' }));
    expect(res.status).toBe(201);
    const ideaId = receiptOf(res).ideaId;
    const n = await waitForNotification(t, b.commissioner, 'idea.submitted', { ideaId });
    expect(n.data).toEqual({
      ideaId,
      callId,
      callTitle: 'Stories of the steppe',
      ideaTitle: 'Winter on the Caspian',
    });
    await waitForNotification(t, b.admin, 'idea.submitted', { ideaId });
    expect(await notificationsAbout(t, b.finance, 'idea.submitted', { ideaId })).toEqual([]);
    const { rows } = await t.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM outbox WHERE type = 'idea.mail' AND payload->>'ideaId' = $1
          AND payload->>'kind' = 'receipt'`,
      [ideaId],
    );
    expect(rows[0]!.n).toBe(1);
  });

  it('answers no public request with an e-mail, an IP or a consent field', async () => {
    const ip = nextIp();
    const body = ideaBody(await readyToken(callId), {
      title: 'The quiet crawl',
      email: 'quiet.crawl@mail.kz',
    });
    const answers = [
      await t.http().get(api(`/public/idea-calls/${callId}/form`)),
      await submit(callId, body, ip),
    ];
    const receipt = receiptOf(answers[1]!);
    answers.push(
      await verifyReceipt(receipt.ideaId, receipt.sha256),
      await t.http().get(api(`/public/idea-calls/${callId}`)),
      await t.http().get(api('/public/idea-calls')),
    );
    for (const res of answers) {
      expect(res.status).toBeLessThan(300);
      const text = JSON.stringify(res.body);
      expect(text).not.toMatch(PERSONAL);
      expect(text).not.toContain('quiet.crawl@mail.kz');
      expect(text).not.toContain(ip);
    }
  });
});
