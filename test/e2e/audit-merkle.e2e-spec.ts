import canonicalize from 'canonicalize';
import { createPublicKey, verify } from 'node:crypto';
import { DataSource } from 'typeorm';
import { AuditSequencer } from '../../src/modules/audit/audit-sequencer';
import { AuditRepository } from '../../src/modules/audit/audit.repository';
import { SigningService } from '../../src/modules/audit/signing/signing.service';
import { QueueService } from '../../src/shared/queue/queue.service';
import { bearer, loginOperator, registerOrganisation, type Actor, type AuditEvent } from '../factories';
import { createBroadcaster, publishBrief, submitBid } from '../factories/commissioning';
import { eventually, startApp, type TestApp } from '../utils/app';
import { expectProblem } from '../utils/expect';
import { spawnWorker, type WorkerProcess } from '../utils/worker-process';
import { refLeafHash, refRoot, verifyConsistency, verifyInclusion } from '../utils/rfc9162';

/** The sessions holding the sequencer's lock in this test's database (other files' apps hold it in theirs). */
const LOCK_HOLDERS = `FROM pg_locks WHERE locktype = 'advisory' AND objid = 7262017 AND granted
  AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`;

jest.setTimeout(180000);

interface Head {
  treeSize: number;
  rootHash: string;
  timestamp: string;
  signature: string;
  keyId: string;
}

const INTERVAL_MS = 50;
const hex = (b: Buffer): string => b.toString('hex');
const buf = (h: string): Buffer => Buffer.from(h, 'hex');

/**
 * The verifiable audit log, seen from outside: leaf hashes recomputed from GET /audit with an
 * independent JCS implementation, roots and proofs checked by the RFC 9162 verifier in
 * test/utils/rfc9162.ts, heads checked with the published key. The app runs as the API role
 * (RUN_WORKER=false): the sequencers here are two instances started by the test, each with its
 * own database session, as two worker processes would be.
 */
describe('Audit Merkle tree', () => {
  let t: TestApp;
  let operator: Actor;
  let admin: Actor;
  let a: AuditSequencer;
  let b: AuditSequencer;

  const newSequencer = (): AuditSequencer =>
    new AuditSequencer(
      t.app.get(DataSource),
      { ...t.config, auditSequenceIntervalMs: INTERVAL_MS },
      t.app.get(AuditRepository),
      t.app.get(SigningService),
      t.app.get(QueueService),
    );

  beforeAll(async () => {
    t = await startApp({ RUN_WORKER: 'false', LOGIN_RATE_LIMIT_PER_IP: '1000' });
    operator = await loginOperator(t);
    admin = await registerOrganisation(t, { kind: 'studio' });
  });
  afterAll(async () => {
    await a?.stop();
    await b?.stop();
    await t.close();
  });

  const get = (path: string, query: Record<string, string | number> = {}) =>
    t.http().get(`/api/v1${path}`).query(query);

  async function unsequenced(): Promise<number> {
    const { rows } = await t.db.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM audit_events WHERE leaf_index IS NULL',
    );
    return rows[0]!.n;
  }

  async function eventCount(): Promise<number> {
    const { rows } = await t.db.query<{ n: number }>('SELECT count(*)::int AS n FROM audit_events');
    return rows[0]!.n;
  }

  /** Waits for a signed head covering every event. */
  async function headCoveringAll(): Promise<Head> {
    const total = await eventCount();
    return eventually(async () => {
      const res = await get('/public/audit/tree-heads/latest');
      return res.status === 200 && (res.body as Head).treeSize === total ? (res.body as Head) : false;
    });
  }

  /** Every event as the operator sees it, in leaf order, its leaf hash recomputed independently. */
  async function leaves(): Promise<AuditEvent[]> {
    const all: AuditEvent[] = [];
    let cursor: string | undefined;
    do {
      const res = await get('/audit', { limit: 100, ...(cursor ? { cursor } : {}) }).set(...bearer(operator));
      expect(res.status).toBe(200);
      all.push(...(res.body.items as AuditEvent[]));
      cursor = res.body.nextCursor ?? undefined;
    } while (cursor);
    all.sort((x, y) => x.leafIndex! - y.leafIndex!);
    all.forEach((e, i) => {
      expect(e.leafIndex).toBe(i);
      const { actorId, organisationId, action, entityType, entityId, before, after, at } = e;
      const json = canonicalize({
        actorId,
        organisationId,
        action,
        entityType,
        entityId,
        before,
        after,
        at,
      })!;
      expect(e.leafHash).toBe(hex(refLeafHash(json)));
    });
    return all;
  }

  async function allHeads(): Promise<Head[]> {
    const heads: Head[] = [];
    let cursor: string | undefined;
    do {
      const res = await get('/public/audit/tree-heads', { limit: 100, ...(cursor ? { cursor } : {}) });
      expect(res.status).toBe(200);
      heads.push(...(res.body.items as Head[]));
      cursor = res.body.nextCursor ?? undefined;
    } while (cursor);
    return heads.reverse();
  }

  /** The operator's verification, once every event is in a head. */
  async function verifyLog(wait = true): Promise<Record<string, unknown>> {
    if (wait) await headCoveringAll();
    const res = await get('/audit/verify').set(...bearer(operator));
    expect(res.status).toBe(200);
    return res.body as Record<string, unknown>;
  }

  /** Runs `sql` with the append-only triggers bypassed, as a superuser tampering would. */
  async function tamper(sql: string, params: unknown[] = []): Promise<void> {
    await t.db.query('SET session_replication_role = replica');
    try {
      await t.db.query(sql, params);
    } finally {
      await t.db.query('RESET session_replication_role');
    }
  }

  /** One audited write (an organisation rename), waited for until a head covers it. */
  async function oneEvent(i: number): Promise<void> {
    await t
      .http()
      .patch(`/api/v1/organisations/${admin.organisationId}`)
      .set(...bearer(admin))
      .send({ name: `Merkle Studio ${i}` })
      .expect(200);
    await headCoveringAll();
  }

  it('sequences nothing in the API role (RUN_WORKER=false)', async () => {
    expect(await unsequenced()).toBeGreaterThan(0);
    await new Promise((r) => setTimeout(r, 600));
    expect(await unsequenced()).toBeGreaterThan(0);
    expectProblem(await get('/public/audit/tree-heads/latest'), 404, 'NO_TREE_HEAD');
  });

  it('integrates committed events with one active sequencer of two, and signs heads with the published key', async () => {
    a = newSequencer();
    b = newSequencer();
    a.start();
    b.start();
    const head = await headCoveringAll();
    expect([a.active, b.active].filter(Boolean)).toHaveLength(1);
    const { rows } = await t.db.query<{ n: number }>(`SELECT count(*)::int AS n ${LOCK_HOLDERS}`);
    expect(rows[0]!.n).toBe(1);

    const keys = await get('/public/keys');
    const key = (keys.body.items as { keyId: string; publicKey: string; use: string }[]).find(
      (k) => k.keyId === head.keyId && k.use === 'audit-tree-head',
    )!;
    expect(key).toBeDefined();
    const publicKey = createPublicKey({
      key: Buffer.concat([
        Buffer.from('302a300506032b6570032100', 'hex'),
        Buffer.from(key.publicKey, 'base64'),
      ]),
      format: 'der',
      type: 'spki',
    });
    const message = `efir-tree-head.v1\n${head.treeSize}\n${head.rootHash}\n${head.timestamp}`;
    expect(verify(null, Buffer.from(message), publicKey, Buffer.from(head.signature, 'base64'))).toBe(true);
    const forged = `efir-tree-head.v1\n${head.treeSize + 1}\n${head.rootHash}\n${head.timestamp}`;
    expect(verify(null, Buffer.from(forged), publicKey, Buffer.from(head.signature, 'base64'))).toBe(false);
    expect(head.rootHash).toBe(hex(refRoot((await leaves()).map((e) => buf(e.leafHash!)))));
  });

  describe('proofs over HTTP', () => {
    let events: AuditEvent[];
    let hashes: Buffer[];
    let heads: Map<number, Head>;

    beforeAll(async () => {
      // One event per head, up to at least 22 leaves: a signed head at every size past the first.
      for (let i = 0; (await eventCount()) < 22 || i < 6; i++) await oneEvent(i);
      events = await leaves();
      hashes = events.map((e) => buf(e.leafHash!));
      heads = new Map((await allHeads()).map((h) => [h.treeSize, h]));
    });

    it('gives inclusion proofs for every leaf of every tree size from 1 to 20 that the verifier accepts', async () => {
      for (let n = 1; n <= 20; n++) {
        const root = refRoot(hashes.slice(0, n));
        const head = heads.get(n);
        if (head) expect(head.rootHash).toBe(hex(root));
        for (let m = 0; m < n; m++) {
          const res = await get('/public/audit/proofs/inclusion', { leafHash: hex(hashes[m]!), treeSize: n });
          expect(res.status).toBe(200);
          expect(res.body).toMatchObject({ leafIndex: m, treeSize: n });
          const path = (res.body.auditPath as string[]).map(buf);
          expect(verifyInclusion(m, n, hashes[m]!, path, root)).toBe(true);
          // The proof does not hold for another leaf, another index or another size.
          expect(verifyInclusion(m, n, hashes[n]!, path, root)).toBe(false);
          if (n > 1) expect(verifyInclusion((m + 1) % n, n, hashes[m]!, path, root)).toBe(false);
          expect(verifyInclusion(m, n + 1, hashes[m]!, path, refRoot(hashes.slice(0, n + 1)))).toBe(false);
        }
      }
    });

    it('gives consistency proofs between every pair of sizes up to 20 that the verifier accepts', async () => {
      const roots = Array.from({ length: 22 }, (_, n) => refRoot(hashes.slice(0, n)));
      for (let second = 1; second <= 20; second++) {
        for (let first = 1; first <= second; first++) {
          const res = await get('/public/audit/proofs/consistency', { first, second });
          expect(res.status).toBe(200);
          expect(res.body).toMatchObject({ first, second });
          const path = (res.body.consistencyPath as string[]).map(buf);
          expect(verifyConsistency(first, second, roots[first]!, roots[second]!, path)).toBe(true);
          if (first < second) {
            expect(verifyConsistency(first, second + 1, roots[first]!, roots[second + 1]!, path)).toBe(false);
            expect(verifyConsistency(first, second, roots[first]!, roots[second + 1]!, path)).toBe(false);
          }
        }
      }
    });

    it('defaults an inclusion proof to the latest head', async () => {
      const latest = await headCoveringAll();
      const res = await get('/public/audit/proofs/inclusion', { leafHash: hex(hashes[0]!) });
      expect(res.status).toBe(200);
      expect(res.body.treeSize).toBe(latest.treeSize);
      const path = (res.body.auditPath as string[]).map(buf);
      expect(verifyInclusion(0, latest.treeSize, hashes[0]!, path, buf(latest.rootHash))).toBe(true);
    });

    it('answers unknown leaves with 404 and sizes beyond the latest head or before the leaf with 422', async () => {
      const latest = await headCoveringAll();
      expectProblem(
        await get('/public/audit/proofs/inclusion', { leafHash: 'ab'.repeat(32) }),
        404,
        'AUDIT_LEAF_NOT_FOUND',
      );
      expectProblem(
        await get('/public/audit/proofs/inclusion', {
          leafHash: hex(hashes[0]!),
          treeSize: latest.treeSize + 1,
        }),
        422,
        'TREE_SIZE_UNAVAILABLE',
      );
      expectProblem(
        await get('/public/audit/proofs/inclusion', { leafHash: hex(hashes[5]!), treeSize: 5 }),
        422,
        'LEAF_NOT_IN_TREE',
      );
      expectProblem(
        await get('/public/audit/proofs/consistency', { first: 1, second: latest.treeSize + 1 }),
        422,
        'TREE_SIZE_UNAVAILABLE',
      );
      expectProblem(
        await get('/public/audit/proofs/consistency', { first: 5, second: 4 }),
        422,
        'CONSISTENCY_SIZES',
      );
      expectProblem(
        await get('/public/audit/proofs/consistency', { first: 0, second: 4 }),
        400,
        'VALIDATION_FAILED',
      );
      expectProblem(
        await get('/public/audit/proofs/inclusion', { leafHash: 'XYZ' }),
        400,
        'VALIDATION_FAILED',
      );
    });

    it('pages the signed heads newest first', async () => {
      const first = await get('/public/audit/tree-heads', { limit: 3 });
      expect(first.status).toBe(200);
      expect(first.body.items).toHaveLength(3);
      const second = await get('/public/audit/tree-heads', { limit: 3, cursor: first.body.nextCursor });
      const sizes = [...first.body.items, ...second.body.items].map((h: Head) => h.treeSize);
      expect(sizes).toEqual([...sizes].sort((x, y) => y - x));
      expect(new Set(sizes).size).toBe(6);
      expectProblem(
        await get('/public/audit/tree-heads', { cursor: 'not a cursor!' }),
        400,
        'INVALID_CURSOR',
      );
    });

    describe('tampering found by /audit/verify at the right leaf index', () => {
      // Leaves past the first head each have a head of their own.
      const seqAt = async (index: number): Promise<string> => {
        const { rows } = await t.db.query<{ seq: string }>(
          'SELECT seq::text FROM audit_events WHERE leaf_index = $1',
          [index],
        );
        return rows[0]!.seq;
      };

      it('starts valid', async () => {
        expect(await verifyLog()).toMatchObject({ valid: true, checked: await eventCount(), unsequenced: 0 });
      });

      it('a changed event', async () => {
        const index = events.length - 4;
        const seq = await seqAt(index);
        const { rows } = await t.db.query<{ entity_id: string }>(
          'SELECT entity_id FROM audit_events WHERE seq = $1',
          [seq],
        );
        await tamper(`UPDATE audit_events SET entity_id = 'forged' WHERE seq = $1`, [seq]);
        expect(await verifyLog()).toMatchObject({
          valid: false,
          firstBrokenLeafIndex: index,
          firstBrokenId: seq,
        });
        await tamper('UPDATE audit_events SET entity_id = $2 WHERE seq = $1', [seq, rows[0]!.entity_id]);
        expect(await verifyLog()).toMatchObject({ valid: true });
      });

      it('a changed event whose leaf hash was recomputed too (only the signed heads tell)', async () => {
        const index = events.length - 3;
        const seq = await seqAt(index);
        const { actorId, organisationId, action, entityType, before, after, at } = events[index]!;
        const json = canonicalize({
          actorId,
          organisationId,
          action,
          entityType,
          entityId: 'forged',
          before,
          after,
          at,
        })!;
        await tamper(`UPDATE audit_events SET entity_id = 'forged', leaf_hash = $2 WHERE seq = $1`, [
          seq,
          hex(refLeafHash(json)),
        ]);
        expect(await verifyLog()).toMatchObject({
          valid: false,
          firstBrokenLeafIndex: index,
          firstBrokenTreeSize: index + 1,
        });
        await tamper('UPDATE audit_events SET entity_id = $2, leaf_hash = $3 WHERE seq = $1', [
          seq,
          events[index]!.entityId,
          events[index]!.leafHash,
        ]);
        expect(await verifyLog()).toMatchObject({ valid: true });
      });

      it('a deleted event', async () => {
        const index = events.length - 5;
        const seq = await seqAt(index);
        await t.db.query('CREATE TEMP TABLE merkle_deleted AS SELECT * FROM audit_events WHERE seq = $1', [
          seq,
        ]);
        await tamper('DELETE FROM audit_events WHERE seq = $1', [seq]);
        expect(await verifyLog(false)).toMatchObject({ valid: false, firstBrokenLeafIndex: index });
        await t.db.query('INSERT INTO audit_events SELECT * FROM merkle_deleted');
        await t.db.query('DROP TABLE merkle_deleted');
        expect(await verifyLog()).toMatchObject({ valid: true });
      });

      it('two events swapped with their leaf hashes (a reorder)', async () => {
        const i = events.length - 6;
        const j = events.length - 2;
        const swap = async (): Promise<void> => {
          await tamper('UPDATE audit_events SET leaf_index = -1 WHERE leaf_index = $1', [i]);
          await tamper('UPDATE audit_events SET leaf_index = $1 WHERE leaf_index = $2', [i, j]);
          await tamper('UPDATE audit_events SET leaf_index = $1 WHERE leaf_index = -1', [j]);
        };
        await swap();
        expect(await verifyLog()).toMatchObject({
          valid: false,
          firstBrokenLeafIndex: i,
          firstBrokenTreeSize: i + 1,
        });
        await swap();
        expect(await verifyLog()).toMatchObject({ valid: true });
      });
    });
  });

  it('hands over to the standby when the active sequencer dies, with no gap and no duplicate index', async () => {
    const holder = async (): Promise<number[]> =>
      (await t.db.query<{ pid: number }>(`SELECT pid ${LOCK_HOLDERS}`)).rows.map((r) => r.pid);
    expect([a.active, b.active].filter(Boolean)).toHaveLength(1);
    const [active, standby] = a.active ? [a, b] : [b, a];
    const [killedPid] = await holder();
    const rename = (i: number) =>
      t
        .http()
        .patch(`/api/v1/organisations/${admin.organisationId}`)
        .set(...bearer(admin))
        .send({ name: `Handover Studio ${i}` });
    const during = Array.from({ length: 10 }, (_, i) => rename(i));
    // Its session ends as a killed process's would (the lock frees with it), and it runs no more.
    await t.db.query('SELECT pg_terminate_backend($1)', [killedPid]);
    await active.stop();
    const after = Array.from({ length: 10 }, (_, i) => rename(10 + i));
    expect((await Promise.all([...during, ...after])).map((r) => r.status)).toEqual(Array(20).fill(200));
    const started = Date.now();
    await eventually(() => Promise.resolve(standby.active), 5000);
    expect(Date.now() - started).toBeLessThan(3000);
    await headCoveringAll();
    const holders = await holder();
    expect(holders).toHaveLength(1);
    expect(holders[0]).not.toBe(killedPid);
    const { rows } = await t.db.query<{ total: number; distinct: number; max: number; min: number }>(
      `SELECT count(*)::int AS total, count(DISTINCT leaf_index)::int AS distinct,
              min(leaf_index)::int AS min, max(leaf_index)::int AS max FROM audit_events`,
    );
    expect(rows[0]).toEqual({
      total: rows[0]!.total,
      distinct: rows[0]!.total,
      min: 0,
      max: rows[0]!.total - 1,
    });
    expect(await verifyLog()).toMatchObject({ valid: true, checked: rows[0]!.total });
  });

  it('50 concurrent bids: 50 events with consecutive indexes, each proven in the next head', async () => {
    const broadcaster = await createBroadcaster(t);
    const briefId = await publishBrief(t, broadcaster.commissioner);
    const studios: Actor[] = [];
    for (let i = 0; i < 5; i++) {
      const batch = await Promise.all(
        Array.from({ length: 10 }, () => registerOrganisation(t, { kind: 'studio' })),
      );
      await Promise.all(
        batch.map((s) =>
          t
            .http()
            .post(`/api/v1/organisations/${s.organisationId}/verify`)
            .set(...bearer(operator))
            .expect(200),
        ),
      );
      studios.push(...batch);
    }
    await headCoveringAll();
    const before = await eventCount();

    const bids = await Promise.all(studios.map((s) => submitBid(t, s, briefId)));
    expect(bids).toHaveLength(50);
    await headCoveringAll();
    expect(await eventCount()).toBe(before + 50);

    const heads = await allHeads();
    const indexes: number[] = [];
    for (const [i, bid] of bids.entries()) {
      const res = await get('/audit', { entityType: 'bid', entityId: bid.id }).set(...bearer(studios[i]!));
      expect(res.status).toBe(200);
      const [event] = res.body.items as AuditEvent[];
      expect(event).toBeDefined();
      indexes.push(event!.leafIndex!);
      const next = heads.find((h) => h.treeSize > event!.leafIndex!)!;
      const proof = await get('/public/audit/proofs/inclusion', {
        leafHash: event!.leafHash!,
        treeSize: next.treeSize,
      });
      expect(proof.status).toBe(200);
      const path = (proof.body.auditPath as string[]).map(buf);
      expect(
        verifyInclusion(event!.leafIndex!, next.treeSize, buf(event!.leafHash!), path, buf(next.rootHash)),
      ).toBe(true);
    }
    indexes.sort((x, y) => x - y);
    expect(indexes).toEqual(Array.from({ length: 50 }, (_, i) => before + i));
  });

  describe('two worker processes', () => {
    const workers: WorkerProcess[] = [];
    afterAll(() => Promise.all(workers.map((w) => w.stop())));

    const holders = async (): Promise<number[]> =>
      (await t.db.query<{ pid: number }>(`SELECT pid ${LOCK_HOLDERS}`)).rows.map((r) => r.pid);

    const started = (w: WorkerProcess): Promise<boolean> =>
      eventually(() => {
        if (w.child.exitCode !== null) throw new Error(`worker exited:\n${w.output()}`);
        return Promise.resolve(w.output().includes('audit sequencer started'));
      }, 60000);

    it('run one sequencer at a time; killing its process hands over with no gap or duplicate index', async () => {
      await a.stop();
      await b.stop();
      // The in-process sequencers have resigned: nobody holds the lock (give a returned
      // connection's unlock a moment on a loaded machine).
      await eventually(async () => (await holders()).length === 0, 10000);
      const first = spawnWorker(t.config, { LOG_LEVEL: 'info', AUDIT_SEQUENCE_INTERVAL_MS: '100' });
      workers.push(first);
      await started(first);
      const [firstPid] = await eventually(async () => {
        const h = await holders();
        return h.length === 1 ? h : false;
      }, 10000);
      const second = spawnWorker(t.config, { LOG_LEVEL: 'info', AUDIT_SEQUENCE_INTERVAL_MS: '100' });
      workers.push(second);
      await started(second);
      await new Promise((r) => setTimeout(r, 1500));
      expect(await holders()).toEqual([firstPid]);
      expect(second.output()).not.toContain('audit sequencer active');

      const rename = (i: number) =>
        t
          .http()
          .patch(`/api/v1/organisations/${admin.organisationId}`)
          .set(...bearer(admin))
          .send({ name: `Worker Studio ${i}` });
      const during = Array.from({ length: 10 }, (_, i) => rename(i));
      await first.stop('SIGKILL');
      const killedAt = Date.now();
      const after = Array.from({ length: 10 }, (_, i) => rename(10 + i));
      expect((await Promise.all([...during, ...after])).map((r) => r.status)).toEqual(Array(20).fill(200));
      const [secondPid] = await eventually(async () => {
        const h = await holders();
        return h.length === 1 && h[0] !== firstPid ? h : false;
      }, 10000);
      expect(secondPid).not.toBe(firstPid);
      await headCoveringAll();
      expect(Date.now() - killedAt).toBeLessThan(5000);
      expect(second.output()).toContain('audit sequencer active');

      const { rows } = await t.db.query<{ total: number; distinct: number; max: number; min: number }>(
        `SELECT count(*)::int AS total, count(DISTINCT leaf_index)::int AS distinct,
                min(leaf_index)::int AS min, max(leaf_index)::int AS max FROM audit_events`,
      );
      expect(rows[0]).toEqual({
        total: rows[0]!.total,
        distinct: rows[0]!.total,
        min: 0,
        max: rows[0]!.total - 1,
      });
      expect(await verifyLog()).toMatchObject({ valid: true, checked: rows[0]!.total });
    });
  });
});
