import {
  addMember,
  bearer,
  login,
  loginOperator,
  registerOrganisation,
  uniqueEmail,
  type Actor,
  type AuditEvent,
} from '../factories';
import type { AuditVerificationDto as AuditVerification } from '../../src/modules/audit/dto/audit-query.dto';
import { startApp, type TestApp } from '../utils/app';
import { expectProblem } from '../utils/expect';

// The jest.config.js project-level testTimeout is not applied (it is a global option).
jest.setTimeout(60000);

describe('Audit', () => {
  let t: TestApp;
  let admin: Actor;
  let operator: Actor;

  beforeAll(async () => {
    t = await startApp();
    admin = await registerOrganisation(t, { kind: 'studio' });
    operator = await loginOperator(t);
  });
  afterAll(() => t.close());

  const audit = (actor: Actor | null, query: Record<string, string | number> = {}) => {
    const req = t.http().get('/api/v1/audit').query(query);
    return actor ? req.set(...bearer(actor)) : req;
  };

  /** Events on one entity, as `actor` sees them (newest first). */
  async function eventsOn(actor: Actor, entityType: string, entityId: string): Promise<AuditEvent[]> {
    const res = await audit(actor, { entityType, entityId, limit: 100 });
    expect(res.status).toBe(200);
    return res.body.items as AuditEvent[];
  }

  const actions = (items: AuditEvent[], action: string): AuditEvent[] =>
    items.filter((i) => i.action === action);

  /** Waits until the sequencer has integrated every committed event into the Merkle tree. */
  async function sequenced(): Promise<void> {
    for (let i = 0; i < 100; i++) {
      const { rows } = await t.db.query<{ n: number }>(
        'SELECT count(*)::int AS n FROM audit_events WHERE leaf_index IS NULL',
      );
      if (rows[0]!.n === 0) return;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error('audit events were not sequenced within 10 s');
  }

  async function verifyChain(): Promise<AuditVerification> {
    await sequenced();
    const res = await t
      .http()
      .get('/api/v1/audit/verify')
      .set(...bearer(operator));
    expect(res.status).toBe(200);
    return res.body;
  }

  async function rowCount(): Promise<number> {
    const { rows } = await t.db.query<{ n: number }>('SELECT count(*)::int AS n FROM audit_events');
    return rows[0]!.n;
  }

  describe('every state change', () => {
    it('records one organisation.registered event when an organisation registers', async () => {
      const items = await eventsOn(admin, 'organisation', admin.organisationId);
      const registered = actions(items, 'organisation.registered');
      expect(registered).toHaveLength(1);
      expect(registered[0]).toMatchObject({
        actorId: admin.userId,
        organisationId: admin.organisationId,
        entityType: 'organisation',
        entityId: admin.organisationId,
        after: expect.objectContaining({ id: admin.organisationId }),
      });
      await sequenced();
      const [event] = actions(
        await eventsOn(admin, 'organisation', admin.organisationId),
        'organisation.registered',
      );
      expect(event).toMatchObject({
        leafIndex: expect.any(Number),
        leafHash: expect.stringMatching(/^[0-9a-f]{64}$/),
        hash: null,
        prevHash: null,
      });
    });

    it('records one member.added event when a member is added', async () => {
      const email = uniqueEmail('producer');
      const res = await t
        .http()
        .post(`/api/v1/organisations/${admin.organisationId}/members`)
        .set(...bearer(admin))
        .send({ email, password: 'member-password-123', fullName: 'A producer', role: 'producer' });
      expect(res.status).toBe(201);

      const items = await eventsOn(admin, 'user', res.body.id);
      expect(items).toHaveLength(1);
      expect(items[0]).toMatchObject({
        action: 'member.added',
        actorId: admin.userId,
        organisationId: admin.organisationId,
        after: expect.objectContaining({ id: res.body.id, email, role: 'producer' }),
      });
      expect(JSON.stringify(items[0])).not.toContain('member-password-123');
    });

    it('records one organisation.updated event with the state before and after', async () => {
      const before = await eventsOn(admin, 'organisation', admin.organisationId);
      const { rows } = await t.db.query<{ name: string }>('SELECT name FROM organisations WHERE id = $1', [
        admin.organisationId,
      ]);
      const oldName = rows[0]!.name;

      const res = await t
        .http()
        .patch(`/api/v1/organisations/${admin.organisationId}`)
        .set(...bearer(admin))
        .send({ name: 'Renamed Studio' });
      expect(res.status).toBe(200);

      const after = await eventsOn(admin, 'organisation', admin.organisationId);
      expect(after).toHaveLength(before.length + 1);
      expect(after[0]).toMatchObject({
        action: 'organisation.updated',
        actorId: admin.userId,
        before: expect.objectContaining({ name: oldName }),
        after: expect.objectContaining({ name: 'Renamed Studio' }),
      });
    });

    it('records one organisation.verified event, and none for a repeated verification', async () => {
      const verify = () =>
        t
          .http()
          .post(`/api/v1/organisations/${admin.organisationId}/verify`)
          .set(...bearer(operator));
      expect((await verify()).status).toBe(200);
      expect((await verify()).status).toBe(200);

      const verified = actions(
        await eventsOn(admin, 'organisation', admin.organisationId),
        'organisation.verified',
      );
      expect(verified).toHaveLength(1);
      expect(verified[0]).toMatchObject({
        actorId: operator.userId,
        organisationId: admin.organisationId,
        before: { verifiedAt: null },
        after: { verifiedAt: expect.any(String) },
      });
    });

    it('records session.started on login and session.revoked on logout', async () => {
      const started = actions(await eventsOn(admin, 'user', admin.userId), 'session.started').length;
      const revoked = actions(await eventsOn(admin, 'user', admin.userId), 'session.revoked').length;

      const session = await login(t, admin.email, admin.password);
      let items = await eventsOn(admin, 'user', admin.userId);
      expect(actions(items, 'session.started')).toHaveLength(started + 1);
      expect(actions(items, 'session.revoked')).toHaveLength(revoked);

      const out = await t
        .http()
        .post('/api/v1/auth/logout')
        .set(...bearer(session));
      expect(out.status).toBe(204);
      items = await eventsOn(admin, 'user', admin.userId);
      expect(actions(items, 'session.started')).toHaveLength(started + 1);
      expect(actions(items, 'session.revoked')).toHaveLength(revoked + 1);
      expect(items[0]).toMatchObject({ action: 'session.revoked', actorId: admin.userId });
    });

    it('records nothing for a refused request', async () => {
      const count = await rowCount();
      const res = await t
        .http()
        .post(`/api/v1/organisations/${admin.organisationId}/members`)
        .set(...bearer(admin))
        .send({
          email: admin.email,
          password: 'member-password-123',
          fullName: 'Duplicate',
          role: 'producer',
        });
      expectProblem(res, 409);
      expect(await rowCount()).toBe(count);
    });
    it('leaves no event and a valid log when a transaction rolls back after appending', async () => {
      const count = await rowCount();
      await t.db.query('BEGIN');
      try {
        await t.db.query(
          `SELECT audit_append(NULL, $1::uuid, 'test.rolled_back', 'organisation', $1::text, NULL, NULL)`,
          [admin.organisationId],
        );
      } finally {
        await t.db.query('ROLLBACK');
      }
      expect(await rowCount()).toBe(count);

      const res = await t
        .http()
        .patch(`/api/v1/organisations/${admin.organisationId}`)
        .set(...bearer(admin))
        .send({ name: 'After Rollback Studio' });
      expect(res.status).toBe(200);
      expect(await rowCount()).toBe(count + 1);
      expect(await verifyChain()).toMatchObject({ valid: true, checked: count + 1, unsequenced: 0 });
    });
  });

  describe('GET /audit', () => {
    it("shows an organisation admin only their own organisation's events", async () => {
      const other = await registerOrganisation(t, { kind: 'broadcaster' });

      const foreign = await audit(admin, { entityType: 'organisation', entityId: other.organisationId });
      expect(foreign.status).toBe(200);
      expect(foreign.body.items).toEqual([]);

      const own = await audit(admin, { limit: 100 });
      expect(own.status).toBe(200);
      expect(own.body.items.length).toBeGreaterThan(0);
      for (const item of own.body.items as AuditEvent[])
        expect(item.organisationId).toBe(admin.organisationId);
    });

    it('shows the operator the events of every organisation', async () => {
      const other = await registerOrganisation(t, { kind: 'broadcaster' });

      const res = await audit(operator, { entityType: 'organisation', entityId: other.organisationId });
      expect(res.status).toBe(200);
      expect(actions(res.body.items, 'organisation.registered')).toHaveLength(1);

      const all = await audit(operator, { limit: 100 });
      const orgs = new Set((all.body.items as AuditEvent[]).map((i) => i.organisationId));
      expect(orgs.has(admin.organisationId)).toBe(true);
      expect(orgs.has(other.organisationId)).toBe(true);
      await sequenced();
      const items = (await audit(operator, { limit: 100 })).body.items as AuditEvent[];
      const indexes = items.map((i) => i.leafIndex);
      expect(new Set(indexes).size).toBe(items.length);
      for (const item of items) expect(item.leafHash).toMatch(/^[0-9a-f]{64}$/);
    });

    it('refuses commissioners, producers and finance users with 403', async () => {
      const broadcaster = await registerOrganisation(t, { kind: 'broadcaster' });
      const members = [
        await addMember(t, broadcaster, 'commissioner'),
        await addMember(t, broadcaster, 'finance'),
        await addMember(t, admin, 'producer'),
        await addMember(t, admin, 'finance'),
      ];
      for (const member of members) expectProblem(await audit(member), 403);
    });

    it('refuses an anonymous caller with 401', async () => {
      expectProblem(await audit(null), 401);
    });

    it('pages with a cursor through disjoint pages, newest first', async () => {
      const seen: string[] = [];
      let cursor: string | undefined;
      for (let page = 0; page < 3; page++) {
        const res = await audit(admin, { limit: 2, ...(cursor ? { cursor } : {}) });
        expect(res.status).toBe(200);
        expect(res.body.items).toHaveLength(2);
        expect(res.body.nextCursor).toEqual(expect.any(String));
        seen.push(...(res.body.items as AuditEvent[]).map((i) => i.id));
        cursor = res.body.nextCursor;
      }
      expect(new Set(seen).size).toBe(6);
      const numeric = seen.map(Number);
      expect(numeric).toEqual([...numeric].sort((a, b) => b - a));

      const whole = await audit(admin, { limit: 6 });
      expect((whole.body.items as AuditEvent[]).map((i) => i.id)).toEqual(seen);
    });

    it('returns no cursor on the last page', async () => {
      const items = await eventsOn(admin, 'organisation', admin.organisationId);
      const res = await audit(admin, {
        entityType: 'organisation',
        entityId: admin.organisationId,
        limit: items.length,
      });
      expect(res.body.items).toHaveLength(items.length);
      expect(res.body.nextCursor).toBeNull();
    });

    it('rejects an out-of-range limit and a malformed entity type with 400', async () => {
      expectProblem(await audit(admin, { limit: 0 }), 400, 'VALIDATION_FAILED');
      expectProblem(await audit(admin, { limit: 101 }), 400, 'VALIDATION_FAILED');
      expectProblem(await audit(admin, { entityType: 'Organisation;--' }), 400, 'VALIDATION_FAILED');
    });

    it('rejects a malformed cursor with 400', async () => {
      expectProblem(await audit(admin, { cursor: 'not a cursor!' }), 400, 'INVALID_CURSOR');
      expectProblem(
        await audit(admin, { cursor: Buffer.from('12abc').toString('base64url') }),
        400,
        'INVALID_CURSOR',
      );
    });
  });

  describe('GET /audit/verify', () => {
    it('lets the operator verify the whole log', async () => {
      const result = await verifyChain();
      expect(result).toEqual({
        valid: true,
        checked: await rowCount(),
        headsChecked: expect.any(Number),
        unsequenced: 0,
      });
    });

    it('refuses an organisation admin with 403', async () => {
      expectProblem(
        await t
          .http()
          .get('/api/v1/audit/verify')
          .set(...bearer(admin)),
        403,
      );
    });
  });

  describe('concurrent writers', () => {
    it('get consecutive leaf indexes, none twice and none skipped', async () => {
      // Writers on one organisation queue on its row lock; several organisations append at once.
      const admins = [admin];
      for (let i = 0; i < 5; i++) admins.push(await registerOrganisation(t, { kind: 'studio' }));
      const before = await rowCount();
      const patches = Array.from({ length: 30 }, (_, i) => {
        const a = admins[i % admins.length]!;
        return t
          .http()
          .patch(`/api/v1/organisations/${a.organisationId}`)
          .set(...bearer(a))
          .send({ name: `Concurrent Studio ${i}` });
      });
      const additions = Array.from({ length: 10 }, (_, i) => {
        const a = admins[i % admins.length]!;
        return t
          .http()
          .post(`/api/v1/organisations/${a.organisationId}/members`)
          .set(...bearer(a))
          .send({
            email: uniqueEmail('finance'),
            password: 'member-password-123',
            fullName: 'A finance user',
            role: 'finance',
          });
      });
      const results = await Promise.all([...patches, ...additions]);
      expect(results.slice(0, 30).map((r) => r.status)).toEqual(Array(30).fill(200));
      expect(results.slice(30).map((r) => r.status)).toEqual(Array(10).fill(201));

      expect(await rowCount()).toBe(before + 40);
      await sequenced();
      const { rows } = await t.db.query<{ total: number; indexes: number; max: number; min: number }>(
        `SELECT count(*)::int AS total, count(DISTINCT leaf_index)::int AS indexes,
                max(leaf_index)::int AS max, min(leaf_index)::int AS min
           FROM audit_events`,
      );
      expect(rows[0]).toEqual({ total: before + 40, indexes: before + 40, min: 0, max: before + 39 });
      expect(await verifyChain()).toMatchObject({ valid: true, checked: rows[0]!.total });
    });
  });

  describe('append-only table', () => {
    it.each([
      ['UPDATE', `UPDATE audit_events SET action = 'forged' WHERE seq = (SELECT min(seq) FROM audit_events)`],
      ['DELETE', 'DELETE FROM audit_events WHERE seq = (SELECT max(seq) FROM audit_events)'],
      ['TRUNCATE', 'TRUNCATE audit_events'],
    ])('refuses %s by the application database user', async (_op, sql) => {
      const count = await rowCount();
      await expect(t.db.query(sql)).rejects.toThrow(/append-only/);
      expect(await rowCount()).toBe(count);
      expect((await verifyChain()).valid).toBe(true);
    });

    it('allows only the one-time setting of leaf_index and leaf_hash', async () => {
      await sequenced();
      await expect(
        t.db.query(
          `UPDATE audit_events SET leaf_hash = repeat('0', 64) WHERE leaf_index = (SELECT max(leaf_index) FROM audit_events)`,
        ),
      ).rejects.toThrow(/append-only/);
      await expect(
        t.db.query(`UPDATE audit_tree_heads SET root_hash = repeat('0', 64) WHERE tree_size = 1`),
      ).rejects.toThrow(/append-only/);
      expect((await verifyChain()).valid).toBe(true);
    });
  });

  describe('tamper detection', () => {
    /** Runs `sql` with the append-only triggers bypassed, as a superuser tampering would. */
    async function tamper(sql: string, params: unknown[] = []): Promise<void> {
      await t.db.query('SET session_replication_role = replica');
      try {
        await t.db.query(sql, params);
      } finally {
        await t.db.query('RESET session_replication_role');
      }
    }

    /** The seq of the event at leaf index `n`. */
    async function seqAt(n: number): Promise<string> {
      await sequenced();
      const { rows } = await t.db.query<{ seq: string }>(
        'SELECT seq::text FROM audit_events WHERE leaf_index = $1',
        [n],
      );
      return rows[0]!.seq;
    }

    it('names an event whose content was altered, and is valid again once it is restored', async () => {
      const seq = await seqAt(3);
      const { rows } = await t.db.query<{ after: string | null }>(
        'SELECT after::text FROM audit_events WHERE seq = $1',
        [seq],
      );
      const original = rows[0]!.after;

      await tamper(`UPDATE audit_events SET after = '{"tampered": true}'::jsonb WHERE seq = $1`, [seq]);
      expect(await verifyChain()).toMatchObject({
        valid: false,
        checked: await rowCount(),
        firstBrokenLeafIndex: 3,
        firstBrokenId: seq,
      });

      await tamper('UPDATE audit_events SET after = $2::jsonb WHERE seq = $1', [seq, original]);
      expect(await verifyChain()).toMatchObject({ valid: true, checked: await rowCount() });
    });

    it('names the leaf index of a deleted event', async () => {
      const seq = await seqAt(5);
      const count = await rowCount();
      // Kept in the database (not in JS), so the timestamp keeps its microseconds.
      await t.db.query('CREATE TEMP TABLE deleted_event AS SELECT * FROM audit_events WHERE seq = $1', [seq]);

      await tamper('DELETE FROM audit_events WHERE seq = $1', [seq]);
      const result = await verifyChain();
      expect(result).toMatchObject({ valid: false, checked: count - 1, firstBrokenLeafIndex: 5 });
      expect(result.firstBrokenId).toBeUndefined();

      await t.db.query('INSERT INTO audit_events SELECT * FROM deleted_event');
      await t.db.query('DROP TABLE deleted_event');
      expect(await verifyChain()).toMatchObject({ valid: true, checked: count });
    });

    it('names the first of two events whose contents were swapped', async () => {
      const first = await seqAt(2);
      const second = await seqAt(4);
      const swap = `UPDATE audit_events a SET action = b.action, entity_type = b.entity_type, entity_id = b.entity_id,
                           actor_id = b.actor_id, organisation_id = b.organisation_id,
                           before = b.before, after = b.after, at = b.at
                      FROM audit_events b
                     WHERE (a.seq, b.seq) IN (($1::bigint, $2::bigint), ($2::bigint, $1::bigint))`;

      await tamper(swap, [first, second]);
      expect(await verifyChain()).toMatchObject({
        valid: false,
        checked: await rowCount(),
        firstBrokenLeafIndex: 2,
        firstBrokenId: first,
      });

      await tamper(swap, [first, second]);
      expect(await verifyChain()).toMatchObject({ valid: true, checked: await rowCount() });
    });
  });
});
