import IORedis from 'ioredis';
import type { Job } from 'bullmq';
import { simpleParser, type ParsedMail } from 'mailparser';
import { readdirSync, readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { SMTPServer } from 'smtp-server';
import type { Response } from 'supertest';
import { OutboxConsumer } from '../../src/shared/outbox/outbox.consumer';
import { OutboxHandlers } from '../../src/shared/outbox/outbox-handlers';
import type { OutboxBatchJobData } from '../../src/shared/queue/queue.constants';
import { bearer, registerOrganisation, uniqueEmail, type Actor } from '../factories';
import { eventually, startApp, type TestApp } from '../utils/app';
import { expectProblem } from '../utils/expect';
import { TcpProxy } from '../utils/tcp-proxy';

// The jest.config.js project-level testTimeout is not applied (it is a global option).
jest.setTimeout(60000);

const MEMBER_PASSWORD = 'member-password-123';

/** POST /organisations/{id}/members; returns the response and how long it took. */
async function postMember(
  t: TestApp,
  admin: Actor,
  email = uniqueEmail('producer'),
): Promise<{ res: Response; ms: number; email: string }> {
  const started = Date.now();
  const res = await t
    .http()
    .post(`/api/v1/organisations/${admin.organisationId}/members`)
    .set(...bearer(admin))
    .send({ email, password: MEMBER_PASSWORD, fullName: 'A producer', role: 'producer' });
  return { res, ms: Date.now() - started, email };
}

async function count(t: TestApp, sql: string, params: unknown[] = []): Promise<number> {
  const { rows } = await t.db.query<{ n: number }>(`SELECT (${sql})::int AS n`, params);
  return rows[0]!.n;
}

const unhandledOutbox = (t: TestApp): Promise<number> =>
  count(t, 'SELECT count(*) FROM outbox WHERE handled_at IS NULL');

const invitations = (t: TestApp, userId: string): Promise<number> =>
  count(t, `SELECT count(*) FROM notifications WHERE user_id = $1 AND type = 'member.invited'`, [userId]);

/** How many .eml files in the app's mail dir are addressed to `email`. */
function emlTo(t: TestApp, email: string): number {
  const to = new RegExp(`^To: .*${email.replace(/[.+]/g, '\\$&')}`, 'im');
  return readdirSync(t.mailDir)
    .filter((f) => f.endsWith('.eml'))
    .filter((f) => to.test(readFileSync(join(t.mailDir, f), 'utf8'))).length;
}

async function ready(t: TestApp): Promise<Response> {
  return t.http().get('/api/v1/health/ready');
}

describe('Outbox', () => {
  let t: TestApp;
  let proxy: TcpProxy;
  let admin: Actor;
  /** Every e-mail address this file gives the app, for the job hygiene scan. */
  const emails: string[] = [];

  beforeAll(async () => {
    proxy = new TcpProxy('127.0.0.1', 6379);
    await proxy.open();
    t = await startApp({
      REDIS_URL: proxy.url('redis'),
      OUTBOX_POLL_MS: '50',
      OUTBOX_SWEEP_AFTER_SECONDS: '1',
    });
    admin = await registerOrganisation(t, { kind: 'studio' });
    emails.push(admin.email);
  });
  afterAll(async () => {
    await proxy.open().catch(() => undefined); // a failed test may have left it cut
    await t.close();
    await proxy.cut();
  });

  describe('when Redis goes away and comes back', () => {
    it('keeps accepting writes during the outage and delivers every event exactly once afterwards', async () => {
      await proxy.cut();
      await eventually(async () => (await ready(t)).body.redis === 'down');

      const added: { id: string; email: string }[] = [];
      for (let i = 0; i < 5; i++) {
        const { res, ms, email } = await postMember(t, admin);
        expect(res.status).toBe(201);
        expect(ms).toBeLessThan(2000);
        added.push({ id: res.body.id, email });
        emails.push(email);
      }

      const during = await ready(t);
      expect(during.status).toBe(200);
      expect(during.body).toMatchObject({ status: 'ok', database: 'up', redis: 'down' });
      expect(during.body.outboxBacklog).toBeGreaterThanOrEqual(5);
      expect(
        await count(t, 'SELECT count(*) FROM notifications WHERE user_id = ANY($1::uuid[])', [
          added.map((m) => m.id),
        ]),
      ).toBe(0);

      await proxy.open();

      await eventually(async () => {
        for (const m of added) if ((await invitations(t, m.id)) < 1 || emlTo(t, m.email) < 1) return false;
        return (await unhandledOutbox(t)) === 0;
      }, 20000);
      for (const m of added) {
        expect(await invitations(t, m.id)).toBe(1);
        expect(emlTo(t, m.email)).toBe(1);
      }
      expect(await unhandledOutbox(t)).toBe(0);
      const after = await eventually(async () => {
        const res = await ready(t);
        return res.body.redis === 'up' && res;
      });
      expect(after.status).toBe(200);
      expect(after.body.outboxBacklog).toBe(0);
    });
  });

  describe('sweeper', () => {
    it('re-publishes an event that Redis took but lost, and it is handled once', async () => {
      const { rows } = await t.db.query<{ id: string }>(
        `INSERT INTO outbox (type, payload, published_at, publish_count)
         VALUES ('organisation.verified', $1::jsonb, now() - interval '1 hour', 1) RETURNING id`,
        [
          JSON.stringify({
            recipients: { userIds: [admin.userId] },
            data: { organisationId: admin.organisationId, organisationName: 'Lost Event Studio' },
          }),
        ],
      );
      const id = rows[0]!.id;

      const row = await eventually(async () => {
        const r = await t.db.query<{ handled_at: Date | null; publish_count: number }>(
          'SELECT handled_at, publish_count FROM outbox WHERE id = $1',
          [id],
        );
        return r.rows[0]?.handled_at ? r.rows[0] : false;
      }, 20000);
      expect(row.publish_count).toBe(2);
      expect(await count(t, 'SELECT count(*) FROM notifications WHERE event_id = $1', [id])).toBe(1);
      expect(
        await count(t, `SELECT count(*) FROM notifications WHERE event_id = $1 AND user_id = $2`, [
          id,
          admin.userId,
        ]),
      ).toBe(1);
    });
  });

  describe('consumer idempotency', () => {
    it('batches only events whose handlers are all insert-only', () => {
      const handlers = t.app.get(OutboxHandlers);
      // notification fan-out alone: batchable
      for (const type of ['member.invited', 'bid.submitted', 'brief.published']) {
        expect({ type, batchable: handlers.batchable(type) }).toEqual({ type, batchable: true });
      }
      // invoicing, ledger, audit, row locks or the outside world: a transaction each
      for (const type of [
        'milestone.accepted',
        'contract.active',
        'brief.deadline',
        'mail.send',
        'deliverable.uploaded',
      ]) {
        expect({ type, batchable: handlers.batchable(type) }).toEqual({ type, batchable: false });
      }
    });

    it('changes nothing when an already handled event is handled again', async () => {
      const { res } = await postMember(t, admin);
      expect(res.status).toBe(201);
      emails.push(res.body.email);
      const { rows } = await t.db.query<{ id: string }>(
        `SELECT id FROM outbox WHERE type = 'member.invited' AND payload->'recipients'->'userIds'->>0 = $1`,
        [res.body.id],
      );
      const id = rows[0]!.id;
      await eventually(
        async () => (await invitations(t, res.body.id)) === 1 && (await unhandledOutbox(t)) === 0,
      );
      const notifications = await count(t, 'SELECT count(*) FROM notifications');
      const mails = await count(t, 'SELECT count(*) FROM outgoing_mail');
      const events = await count(t, 'SELECT count(*) FROM outbox');

      const consumer = t.app.get(OutboxConsumer);
      expect(await consumer.handle([id])).toBe(0);
      expect(await consumer.handle([id])).toBe(0);

      expect(await count(t, 'SELECT count(*) FROM notifications')).toBe(notifications);
      expect(await count(t, 'SELECT count(*) FROM outgoing_mail')).toBe(mails);
      expect(await count(t, 'SELECT count(*) FROM outbox')).toBe(events);
    });

    it('applies a fresh event once when two handlers race for it', async () => {
      const { rows } = await t.db.query<{ id: string }>(
        `INSERT INTO outbox (type, payload, available_at)
         VALUES ('organisation.verified', $1::jsonb, now() + interval '1 hour') RETURNING id`,
        [
          JSON.stringify({
            recipients: { userIds: [admin.userId] },
            data: { organisationId: admin.organisationId, organisationName: 'Raced Studio' },
          }),
        ],
      );
      const id = rows[0]!.id;

      const consumer = t.app.get(OutboxConsumer);
      const results = await Promise.all([consumer.handle([id]), consumer.handle([id])]);

      expect(results.sort()).toEqual([0, 1]);
      expect(await count(t, 'SELECT count(*) FROM notifications WHERE event_id = $1', [id])).toBe(1);
      expect(await count(t, 'SELECT count(*) FROM outgoing_mail WHERE event_id = $1', [id])).toBe(1);
      expect(
        await count(t, 'SELECT count(*) FROM outbox WHERE id = $1 AND handled_at IS NOT NULL', [id]),
      ).toBe(1);
    });
    it('handles the rest of a batch when one event fails, and fails the job for that one only', async () => {
      const event = (type: string, payload: unknown) =>
        t.db
          .query<{ id: string }>(
            `INSERT INTO outbox (type, payload, available_at) VALUES ($1, $2::jsonb, now() + interval '1 hour') RETURNING id`,
            [type, JSON.stringify(payload)],
          )
          .then((r) => r.rows[0]!.id);
      const verified = {
        recipients: { userIds: [admin.userId] },
        data: { organisationId: admin.organisationId, organisationName: 'Batch Studio' },
      };
      const first = await event('organisation.verified', verified);
      const broken = await event('mail.send', { mailId: 'not-a-uuid' }); // its handler's query fails
      const last = await event('organisation.verified', verified);

      const consumer = t.app.get(OutboxConsumer);
      const job = { data: { outboxIds: [first, broken, last] } } as Job<OutboxBatchJobData>;
      await expect(consumer.process(job)).rejects.toThrow(/uuid/);

      const handled = await t.db.query<{ id: string }>(
        'SELECT id FROM outbox WHERE id = ANY($1::bigint[]) AND handled_at IS NOT NULL ORDER BY id',
        [[first, broken, last]],
      );
      expect(handled.rows.map((r) => r.id)).toEqual([first, last]);
      for (const id of [first, last]) {
        expect(await count(t, 'SELECT count(*) FROM notifications WHERE event_id = $1', [id])).toBe(1);
      }
      // the retry of the same job handles nothing twice and still fails on the broken event
      await expect(consumer.process(job)).rejects.toThrow(/uuid/);
      expect(
        await count(t, 'SELECT count(*) FROM notifications WHERE event_id = ANY($1::bigint[])', [
          [first, last],
        ]),
      ).toBe(2);
      await t.db.query('DELETE FROM outbox WHERE id = $1', [broken]);
    });
  });

  describe('transactional writes', () => {
    it('writes no outbox event when the request is refused', async () => {
      const taken = emails[1] ?? admin.email;
      const before = await count(t, `SELECT count(*) FROM outbox WHERE type = 'member.invited'`);

      const { res } = await postMember(t, admin, taken);

      expectProblem(res, 409);
      expect(await count(t, `SELECT count(*) FROM outbox WHERE type = 'member.invited'`)).toBe(before);
    });
  });

  describe('job hygiene (T-JOB-HYGIENE)', () => {
    it('keeps only outbox ids in Redis: no e-mail address or password in any job', async () => {
      const redis = new IORedis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', {
        maxRetriesPerRequest: 1,
      });
      const values: string[] = [];
      let jobs = 0;
      try {
        let cursor = '0';
        do {
          const [next, keys] = await redis.scan(cursor, 'MATCH', `${t.config.queuePrefix}:*`, 'COUNT', 500);
          cursor = next;
          for (const key of keys) {
            const type = await redis.type(key);
            values.push(key);
            if (type === 'hash') {
              const hash = await redis.hgetall(key);
              if ('data' in hash && 'name' in hash) {
                jobs++;
                // a routed job carries one outbox id, an outbox-queue job a batch of them
                const data = JSON.parse(hash.data) as Record<string, unknown>;
                expect(data).toStrictEqual(
                  'outboxIds' in data
                    ? { outboxIds: expect.arrayContaining([expect.stringMatching(/^\d+$/)]) }
                    : { outboxId: expect.stringMatching(/^\d+$/) },
                );
                for (const id of (data.outboxIds as unknown[] | undefined) ?? []) expect(id).toMatch(/^\d+$/);
              }
              values.push(...Object.entries(hash).flat());
            } else if (type === 'list') values.push(...(await redis.lrange(key, 0, -1)));
            else if (type === 'set') values.push(...(await redis.smembers(key)));
            else if (type === 'zset') values.push(...(await redis.zrange(key, 0, -1)));
            else if (type === 'string') values.push((await redis.get(key)) ?? '');
            else if (type === 'stream')
              for (const [, fields] of await redis.xrange(key, '-', '+')) values.push(...fields);
          }
        } while (cursor !== '0');
      } finally {
        redis.disconnect();
      }

      expect(jobs).toBeGreaterThanOrEqual(7);
      const text = values.join('\n');
      expect(text).not.toMatch(/[\w.+-]+@[\w-]+\.[\w.-]+/);
      for (const email of emails) expect(text).not.toContain(email);
      expect(text).not.toContain(MEMBER_PASSWORD);
      expect(text).not.toContain(admin.password);
    });
  });
});

describe('Outbox without Redis at boot', () => {
  let t: TestApp;
  let proxy: TcpProxy;
  let smtp: SMTPServer;
  const received: ParsedMail[] = [];
  let admin: Actor;

  beforeAll(async () => {
    smtp = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      logger: false,
      onData(stream, _session, callback) {
        simpleParser(stream)
          .then((mail) => {
            received.push(mail);
            callback();
          })
          .catch((err: Error) => callback(err));
      },
    });
    await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', () => resolve()));
    const smtpPort = (smtp.server.address() as AddressInfo).port;

    proxy = new TcpProxy('127.0.0.1', 6379);
    await proxy.open();
    await proxy.cut();
    t = await startApp({
      REDIS_URL: proxy.url('redis'),
      RUN_WORKER: 'true',
      MAIL_URL: `smtp://127.0.0.1:${smtpPort}`,
    });
    admin = await registerOrganisation(t, { kind: 'studio', name: 'Smtp Studio' });
  });
  afterAll(async () => {
    await proxy.open().catch(() => undefined);
    await t.close();
    await proxy.cut();
    await new Promise<void>((resolve) => smtp.close(() => resolve()));
  });

  const mailsTo = (email: string): ParsedMail[] =>
    received.filter((m) => m.to && !Array.isArray(m.to) && m.to.value.some((a) => a.address === email));

  it('boots, accepts writes while Redis is down, and drains the backlog once Redis is reachable', async () => {
    const { res, ms } = await postMember(t, admin);
    expect(res.status).toBe(201);
    expect(ms).toBeLessThan(2000);

    const during = await ready(t);
    expect(during.status).toBe(200);
    expect(during.body).toMatchObject({ status: 'ok', database: 'up', redis: 'down' });
    expect(during.body.outboxBacklog).toBeGreaterThanOrEqual(1);
    expect(await invitations(t, res.body.id)).toBe(0);

    await proxy.open();

    await eventually(
      async () => (await invitations(t, res.body.id)) === 1 && (await unhandledOutbox(t)) === 0,
      20000,
    );
    expect(await invitations(t, res.body.id)).toBe(1);
    expect(mailsTo(res.body.email)).toHaveLength(1);
    const after = await eventually(async () => {
      const r = await ready(t);
      return r.body.redis === 'up' && r;
    });
    expect(after.body.outboxBacklog).toBe(0);
  });

  it('delivers the invitation over SMTP exactly once and marks the mail sent', async () => {
    const { res } = await postMember(t, admin);
    expect(res.status).toBe(201);

    await eventually(async () => {
      const sent = await count(
        t,
        'SELECT count(*) FROM outgoing_mail WHERE user_id = $1 AND sent_at IS NOT NULL',
        [res.body.id],
      );
      return sent === 1 && (await unhandledOutbox(t)) === 0;
    }, 15000);

    const mails = mailsTo(res.body.email);
    expect(mails).toHaveLength(1);
    expect(mails[0]!.subject).toBe('You have been added to Smtp Studio');
    expect(mails[0]!.text).toContain(res.body.email);
    expect(await count(t, 'SELECT count(*) FROM outgoing_mail WHERE user_id = $1', [res.body.id])).toBe(1);
  });
});
