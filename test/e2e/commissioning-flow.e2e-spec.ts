import { bearer } from '../factories';
import {
  briefBody,
  createBroadcaster,
  createStudio,
  publishBrief,
  submitBid,
  waitUntilPast,
  type Broadcaster,
  type Studio,
} from '../factories/commissioning';
import { startApp, type TestApp } from '../utils/app';
import { waitForNotification } from '../utils/notifications';

describe('Commissioning, end to end', () => {
  let t: TestApp;
  let b: Broadcaster;
  let s1: Studio;
  let s2: Studio;

  beforeAll(async () => {
    t = await startApp({ BRIEF_MIN_BID_WINDOW_SECONDS: '0', BRIEF_AMENDMENT_MIN_NOTICE_SECONDS: '1' });
    b = await createBroadcaster(t);
    s1 = await createStudio(t, { genres: ['documentary'] });
    s2 = await createStudio(t, { genres: ['documentary'] });
  });
  afterAll(() => t.close());

  it('takes a brief from publishing through sealed bids to an award and a contract', async () => {
    const body = briefBody({ closesIn: 4, questionsIn: 2 });
    const briefId = await publishBrief(t, b.commissioner, body);

    const bid1 = await submitBid(t, s1.producer, briefId, 100_000_000_00);
    const bid2 = await submitBid(t, s2.producer, briefId, 90_000_000_01);
    expect(bid1.status).toBe('submitted');
    expect(bid1.receipt.commitment).toMatch(/^[0-9a-f]{64}$/);

    const sealed = await t
      .http()
      .get(`/api/v1/briefs/${briefId}/bids`)
      .set(...bearer(b.commissioner));
    expect(sealed.status).toBe(409);
    expect(sealed.body.code).toBe('BIDS_SEALED');
    const other = await t
      .http()
      .get(`/api/v1/bids/${bid1.id}`)
      .set(...bearer(s2.producer));
    expect(other.status).toBe(404);

    await waitUntilPast(t, body.bidsCloseAt as string);
    const brief = await t
      .http()
      .get(`/api/v1/briefs/${briefId}`)
      .set(...bearer(s1.producer));
    expect(brief.body.status).toBe('closed');

    const list = await t
      .http()
      .get(`/api/v1/briefs/${briefId}/bids`)
      .set(...bearer(b.commissioner))
      .expect(200);
    expect(list.headers['cache-control']).toBe('no-store');
    expect(list.body.items.map((x: { id: string }) => x.id).sort()).toEqual([bid1.id, bid2.id].sort());
    expect(list.body.nextCursor).toBeNull();

    const opening = await t
      .http()
      .get(`/api/v1/briefs/${briefId}/bid-opening`)
      .set(...bearer(s1.producer))
      .expect(200);
    expect(opening.body.commitments).toContainEqual({ bidId: bid1.id, commitment: bid1.receipt.commitment });

    await t
      .http()
      .put(`/api/v1/bids/${bid1.id}/scores`)
      .set(...bearer(b.commissioner))
      .send({
        scores: [
          { criterion: 'creative', score: 9 },
          { criterion: 'team', score: 8 },
          { criterion: 'price', score: 6 },
        ],
      })
      .expect(200);
    const ranking = await t
      .http()
      .get(`/api/v1/briefs/${briefId}/ranking`)
      .set(...bearer(b.commissioner))
      .expect(200);
    expect(ranking.body.items[0].bidId).toBe(bid1.id);

    const awards = await Promise.all(
      Array.from({ length: 10 }, () =>
        t
          .http()
          .post(`/api/v1/briefs/${briefId}/award`)
          .set(...bearer(b.commissioner))
          .send({ bidId: bid2.id }),
      ),
    );
    const ok = awards.filter((r) => r.status === 201);
    expect(ok).toHaveLength(1);
    expect(awards.filter((r) => r.status === 409)).toHaveLength(9);

    const contract = await t
      .http()
      .get(`/api/v1/contracts/${ok[0]!.body.contractId}`)
      .set(...bearer(s2.producer))
      .expect(200);
    expect(contract.body.value).toEqual({ amount: 90_000_000_01, currency: 'KZT' });
    const sum = contract.body.milestones.reduce(
      (a: number, m: { amount: { amount: number } }) => a + m.amount.amount,
      0,
    );
    expect(sum).toBe(90_000_000_01);

    await waitForNotification(t, s1.producer, 'bid.not_selected');
  });
});
