import { createHash } from 'node:crypto';
import type { Response } from 'supertest';
import { createBroadcaster, waitUntilPast, type Broadcaster } from '../factories/commissioning';
import { openIdeaCall, seedIdea } from '../factories/ideas';
import { api, eventually, startApp, type TestApp } from '../utils/app';
import { expectProblem } from '../utils/expect';
import { mailsTo } from '../utils/mail';

const inSeconds = (s: number): string => new Date(Date.now() + s * 1000).toISOString();
const randomId = (): string => Math.random().toString(36).slice(2, 10);

/** A fresh voter address at a real (non-disposable) domain. */
const voter = (): string => `voter-${randomId()}@mail.kz`;
const sha256 = (s: string): string => createHash('sha256').update(s).digest('hex');

/**
 * The token of the vote confirmation e-mailed to `email`, once it has arrived and its hash is
 * committed (the .eml is written inside the sending transaction, just before it commits).
 */
async function confirmationToken(app: TestApp, email: string): Promise<string> {
  const mails = await eventually(async () => {
    const found = await mailsTo(app, email);
    return found.length > 0 && found;
  });
  expect(mails).toHaveLength(1);
  const token = /\/votes\/confirm\?token=([A-Za-z0-9_-]+)/.exec(mails[0]!.text ?? '')?.[1];
  expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
  await eventually(async () => {
    const { rows } = await app.db.query('SELECT 1 FROM idea_vote_requests WHERE token_hash = $1', [
      sha256(token!),
    ]);
    return rows.length === 1;
  });
  return token!;
}

describe('Idea votes (double opt-in)', () => {
  // TRUST_PROXY=127.0.0.1: the test client is the proxy and X-Forwarded-For names the client.
  // Each vote request comes from an address of its own unless a test says otherwise, so only the
  // rate-limit test meets the limit of 3 an hour.
  let t: TestApp;
  let b: Broadcaster;
  let callId: string;
  let next = 0;
  const clientAddress = (): string => `10.20.${Math.floor(next / 250)}.${(next++ % 250) + 1}`;

  /** Asks for a vote; whatever the answer, it never shows the address. */
  const requestVote = async (ideaId: string, email: string, from = clientAddress()): Promise<Response> => {
    const res = await t
      .http()
      .post(api(`/public/ideas/${ideaId}/votes`))
      .set('X-Forwarded-For', from)
      .send({ email });
    expect(JSON.stringify(res.body).toLowerCase()).not.toContain(email.trim().toLowerCase());
    return res;
  };
  const confirm = (token: string) => t.http().post(api('/public/votes/confirm')).send({ token });

  /** A vote asked for (202 pending) and the token of its confirmation e-mail. */
  const pendingVote = async (ideaId: string, email: string): Promise<string> => {
    const res = await requestVote(ideaId, email);
    expect({ status: res.status, body: res.body as unknown }).toEqual({
      status: 202,
      body: { status: 'pending' },
    });
    return confirmationToken(t, email.trim());
  };

  const expectConfirmed = (res: Response, ideaId: string, votes: number): void => {
    // The exact body: an idea id and a count, never the address.
    expect({ status: res.status, body: res.body as unknown }).toEqual({
      status: 200,
      body: { ideaId, votes },
    });
  };

  const votesOf = async (ideaId: string): Promise<{ counter: number; rows: number }> => {
    const { rows } = await t.db.query<{ counter: number; rows: number }>(
      `SELECT i.votes AS counter, (SELECT count(*)::int FROM idea_votes v WHERE v.idea_id = i.id) AS rows
         FROM ideas i WHERE i.id = $1`,
      [ideaId],
    );
    return rows[0]!;
  };

  const requestsOf = async (
    ideaId: string,
  ): Promise<{ email: string | null; confirmed: boolean; token_hash: string | null }[]> => {
    const { rows } = await t.db.query<{
      email: string | null;
      confirmed: boolean;
      token_hash: string | null;
    }>(
      `SELECT email, confirmed_at IS NOT NULL AS confirmed, token_hash FROM idea_vote_requests
        WHERE idea_id = $1 ORDER BY created_at`,
      [ideaId],
    );
    return rows;
  };

  beforeAll(async () => {
    t = await startApp({ TRUST_PROXY: '127.0.0.1', VOTE_REQUESTS_PER_IP_PER_HOUR: '3' });
    b = await createBroadcaster(t);
    callId = await openIdeaCall(t, b.commissioner);
  });

  afterAll(async () => {
    await t.close();
  });

  it('keeps a vote pending until its e-mailed link is opened, which works once', async () => {
    const ideaId = await seedIdea(t, callId, { status: 'approved' });
    const email = voter();
    const token = await pendingVote(ideaId, email);

    // pending: nothing counted; the address is kept only for the e-mail, the token only hashed
    expect(await votesOf(ideaId)).toEqual({ counter: 0, rows: 0 });
    const [pending] = await requestsOf(ideaId);
    expect(pending).toEqual({ email, confirmed: false, token_hash: sha256(token) });

    expectConfirmed(await confirm(token), ideaId, 1);
    expect(await votesOf(ideaId)).toEqual({ counter: 1, rows: 1 });
    // confirmed: the address is deleted
    expect(await requestsOf(ideaId)).toEqual([
      { email: null, confirmed: true, token_hash: expect.any(String) },
    ]);

    // the link is single use
    expectProblem(await confirm(token), 410, 'VOTE_TOKEN_GONE');
    expect(await votesOf(ideaId)).toEqual({ counter: 1, rows: 1 });
  });

  it('refuses an unknown token as gone', async () => {
    expectProblem(await confirm('a'.repeat(43)), 410, 'VOTE_TOKEN_GONE');
  });

  it('counts ten spellings of one address once', async () => {
    const ideaId = await seedIdea(t, callId, { status: 'approved' });
    // One Gmail mailbox: case, surrounding spaces, +tags, dots and googlemail.com (the lower-cased
    // spellings differ, so each e-mail is told apart in the mail dir).
    const spellings = [
      'aigerim.nurlanovna@gmail.com',
      'AigerimNurlanovna@gmail.com',
      '  aigerim.nurlanovna+votes@gmail.com  ',
      'A.I.G.E.R.I.M.Nurlanovna@GMAIL.COM',
      'aigerim.nurlanovna@googlemail.com',
      'Aigerim.Nurlanovna+steppe@GoogleMail.com',
      'aigerimnurlanovna+1@gmail.com',
      'aige.rimnurlan.ovna@gmail.com',
      'AIGERIM.NURLANOVNA+X@GOOGLEMAIL.COM',
      'aigerimnurlanovna+kk+ru@googlemail.com',
    ];
    const tokens: string[] = [];
    for (const spelling of spellings) tokens.push(await pendingVote(ideaId, spelling));

    for (const token of tokens) expectConfirmed(await confirm(token), ideaId, 1);
    expect(await votesOf(ideaId)).toEqual({ counter: 1, rows: 1 });
    const requests = await requestsOf(ideaId);
    expect(requests).toHaveLength(10);
    expect(requests.every((r) => r.email === null && r.confirmed)).toBe(true);
  });

  it('answers an address that has voted like any other, but stores and sends nothing', async () => {
    const ideaId = await seedIdea(t, callId, { status: 'approved' });
    const email = voter();
    expectConfirmed(await confirm(await pendingVote(ideaId, email)), ideaId, 1);

    const again = await requestVote(ideaId, email.toUpperCase());
    expect({ status: again.status, body: again.body as unknown }).toEqual({
      status: 202,
      body: { status: 'pending' },
    });
    // no second request, so no second e-mail is queued
    expect(await requestsOf(ideaId)).toHaveLength(1);
    const { rows } = await t.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM outbox o JOIN idea_vote_requests r ON r.id::text = o.payload->>'requestId'
        WHERE o.type = 'idea.mail' AND r.idea_id = $1`,
      [ideaId],
    );
    expect(rows[0]!.n).toBe(1);
  });

  it('counts 20 concurrent confirmations of 20 addresses as 20 votes', async () => {
    const ideaId = await seedIdea(t, callId, { status: 'shortlisted' });
    const emails = Array.from({ length: 20 }, voter);
    const tokens: string[] = [];
    for (const email of emails) tokens.push(await pendingVote(ideaId, email));

    const results = await Promise.all(tokens.map((token) => confirm(token)));
    expect(results.map((r) => r.status)).toEqual(Array(20).fill(200));
    // each confirmation saw the count its own vote made: 1..20, none lost or repeated
    expect(results.map((r) => r.body.votes as number).sort((x, y) => x - y)).toEqual(
      Array.from({ length: 20 }, (_, i) => i + 1),
    );
    expect(await votesOf(ideaId)).toEqual({ counter: 20, rows: 20 });
  });

  it('takes no vote after closesAt, not even with a token issued before', async () => {
    const closesAt = inSeconds(6);
    const closingCall = await openIdeaCall(t, b.commissioner, { closesAt });
    const ideaId = await seedIdea(t, closingCall, { status: 'approved' });
    const token = await pendingVote(ideaId, voter());

    await waitUntilPast(t, closesAt);
    expectProblem(await requestVote(ideaId, voter()), 409, 'IDEA_CALL_CLOSED');
    expectProblem(await confirm(token), 409, 'IDEA_CALL_CLOSED');
    expect(await votesOf(ideaId)).toEqual({ counter: 0, rows: 0 });
    expect(await requestsOf(ideaId)).toEqual([
      { email: expect.any(String), confirmed: false, token_hash: expect.any(String) },
    ]);
  });

  it('refuses votes where the call has voting disabled', async () => {
    const quietCall = await openIdeaCall(t, b.commissioner, { votingEnabled: false });
    const ideaId = await seedIdea(t, quietCall, { status: 'approved' });
    expectProblem(await requestVote(ideaId, voter()), 409, 'VOTING_DISABLED');
    expect(await requestsOf(ideaId)).toEqual([]);
  });

  it('does not find ideas the public cannot see, and refuses votes for converted or declined ones', async () => {
    for (const status of ['pending', 'hidden', 'rejected', 'withdrawn']) {
      const ideaId = await seedIdea(t, callId, { status });
      expectProblem(await requestVote(ideaId, voter()), 404, 'NOT_FOUND');
      expect(await requestsOf(ideaId)).toEqual([]);
    }
    expectProblem(await requestVote('00000000-0000-4000-8000-000000000000', voter()), 404, 'NOT_FOUND');
    for (const status of ['converted', 'declined']) {
      const ideaId = await seedIdea(t, callId, { status });
      expectProblem(await requestVote(ideaId, voter()), 409, 'IDEA_STATE_CONFLICT');
      expect(await requestsOf(ideaId)).toEqual([]);
    }
  });

  it('counts nothing when the idea was hidden between the request and the confirmation', async () => {
    const ideaId = await seedIdea(t, callId, { status: 'approved' });
    const token = await pendingVote(ideaId, voter());
    await t.db.query(`UPDATE ideas SET status = 'hidden' WHERE id = $1`, [ideaId]);
    expectProblem(await confirm(token), 409, 'IDEA_STATE_CONFLICT');
    expect(await votesOf(ideaId)).toEqual({ counter: 0, rows: 0 });
  });

  it('refuses a disposable address and stores nothing', async () => {
    const ideaId = await seedIdea(t, callId, { status: 'approved' });
    for (const email of [`someone-${randomId()}@mailinator.com`, `x-${randomId()}@YOPMAIL.com`]) {
      expectProblem(await requestVote(ideaId, email), 422, 'EMAIL_DISPOSABLE');
    }
    expect(await requestsOf(ideaId)).toEqual([]);
  });

  it('limits vote requests per client address with 429 and Retry-After', async () => {
    const ideaId = await seedIdea(t, callId, { status: 'approved' });
    const from = clientAddress();
    for (let i = 0; i < 3; i++) expect((await requestVote(ideaId, voter(), from)).status).toBe(202);

    const refused = await requestVote(ideaId, voter(), from);
    expectProblem(refused, 429, 'RATE_LIMITED');
    // one request's share of the hour (3600 s / 3): when the next one will be let through
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(1100);
    expect(Number(refused.headers['retry-after'])).toBeLessThanOrEqual(1200);
    expect(await requestsOf(ideaId)).toHaveLength(3);

    // another client address is not held back
    expect((await requestVote(ideaId, voter())).status).toBe(202);
  });
});

describe('Idea votes: expiry (VOTE_TOKEN_TTL_SECONDS=4)', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startApp({ VOTE_TOKEN_TTL_SECONDS: '4' });
  });

  afterAll(async () => {
    await t.close();
  });

  it('refuses an expired token as gone and deletes the address at expiry', async () => {
    const b = await createBroadcaster(t);
    const callId = await openIdeaCall(t, b.commissioner);
    const ideaId = await seedIdea(t, callId, { status: 'approved' });
    const email = voter();
    const res = await t
      .http()
      .post(api(`/public/ideas/${ideaId}/votes`))
      .send({ email })
      .expect(202);
    expect(res.body).toEqual({ status: 'pending' });
    const token = await confirmationToken(t, email);

    const { rows } = await t.db.query<{ email: string | null; expires_at: Date }>(
      'SELECT email, expires_at FROM idea_vote_requests WHERE idea_id = $1',
      [ideaId],
    );
    expect(rows).toEqual([{ email, expires_at: expect.any(Date) }]);
    await waitUntilPast(t, rows[0]!.expires_at.toISOString());

    expectProblem(await confirm(t, token), 410, 'VOTE_TOKEN_GONE');
    const { rows: votes } = await t.db.query<{ votes: number }>('SELECT votes FROM ideas WHERE id = $1', [
      ideaId,
    ]);
    expect(votes[0]!.votes).toBe(0);

    // the scheduled expiry deletes the address of the request nobody confirmed
    await eventually(async () => {
      const { rows: left } = await t.db.query<{ email: string | null }>(
        'SELECT email FROM idea_vote_requests WHERE idea_id = $1',
        [ideaId],
      );
      return left.length === 1 && left[0]!.email === null;
    });
  });

  const confirm = (app: TestApp, token: string) =>
    app.http().post(api('/public/votes/confirm')).send({ token });
});
