import { Injectable, Logger, type BeforeApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, QueryRunner } from 'typeorm';
import { InjectConfig } from '../../config/config.module';
import type { AppConfig } from '../../config/env';
import { QueueService } from '../../shared/queue/queue.service';
import { AuditRepository } from './audit.repository';
import { eventLeafHash } from './merkle/audit-leaf';
import { Frontier } from './merkle/merkle-tree';
import { SigningService } from './signing/signing.service';

/** The session advisory lock that makes one sequencer active across all worker processes. */
export const AUDIT_SEQUENCER_LOCK = 7262017;
/** Events integrated per transaction; a larger backlog takes several back-to-back ticks. */
const BATCH = 5000;
/** Leaf hashes read per query when a sequencer becomes active. */
const LOAD_PAGE = 50000;
/** How often a standby asks for the lock: a dead holder is replaced within about this. */
const STANDBY_POLL_MS = 1000;

/** The message a tree head's signature is over (api.md "Audit log (verifiable)"). */
export const treeHeadMessage = (treeSize: number, rootHash: string, timestamp: string): string =>
  `efir-tree-head.v1\n${treeSize}\n${rootHash}\n${timestamp}`;

/**
 * Integrates committed audit events into the RFC 9162 Merkle tree (worker role only).
 *
 * Exactly one process is active: it holds `pg_try_advisory_lock(AUDIT_SEQUENCER_LOCK)` on a
 * dedicated session (one pool connection kept while active) and runs every batch on that same
 * session, so a batch can only commit while the lock is held; if the process dies, its session
 * ends, the lock frees, and a standby (asking every STANDBY_POLL_MS) takes over and resumes from
 * the database. Every AUDIT_SEQUENCE_INTERVAL_MS the active one, in one short transaction, reads
 * the committed events without a leaf index (old-chain events first in seq order, then by
 * (at, seq)), computes their leaf hashes (SHA-256(0x00 ‖ JCS of the event)), gives them the next
 * consecutive leaf indexes, and inserts a signed tree head for the new size. Appending is thus a
 * single INSERT with no lock and no hashing; hashing happens here, from the committed row, so the
 * hashed `at` is exactly the stored one.
 *
 * In memory it keeps the tree's frontier (O(log n) complete-subtree roots): each leaf costs
 * amortised O(1) hashes, each head O(log n). Becoming active reads every stored leaf hash once
 * (O(n); about 1 s per 10^6 leaves) and refuses to extend a tree whose leaves do not match the
 * latest signed head.
 */
@Injectable()
export class AuditSequencer implements OnModuleInit, BeforeApplicationShutdown {
  private readonly logger = new Logger('AuditSequencer');
  private running = false;
  private timer: NodeJS.Timeout | null = null;
  private current: Promise<void> | null = null;
  private session: QueryRunner | null = null;
  private frontier: Frontier | null = null;

  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    @InjectConfig() private readonly config: AppConfig,
    private readonly repository: AuditRepository,
    private readonly signing: SigningService,
    private readonly queues: QueueService,
  ) {}

  onModuleInit(): void {
    this.queues.onWorkerStart(() => this.start());
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.stop();
  }

  /** Whether this process is the active sequencer. */
  get active(): boolean {
    return this.session !== null;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.logger.log('audit sequencer started (standby until it holds the lock)');
    this.schedule(0);
  }

  async stop(): Promise<void> {
    this.running = false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.current;
    await this.resign();
  }

  private schedule(ms: number): void {
    if (!this.running) return;
    this.timer = setTimeout(() => {
      this.current = this.tick()
        .then((more) =>
          this.schedule(more ? 0 : this.active ? this.config.auditSequenceIntervalMs : STANDBY_POLL_MS),
        )
        .catch((err: unknown) => {
          this.logger.warn(`audit sequencer: ${(err as Error).message}`);
          return this.resign().then(() => this.schedule(STANDBY_POLL_MS));
        });
    }, ms);
  }

  /** One round: become active if possible, then one batch. True when a full batch was taken. */
  private async tick(): Promise<boolean> {
    if (!this.session && !(await this.acquire())) return false;
    return (await this.sequenceBatch()) === BATCH;
  }

  private async acquire(): Promise<boolean> {
    const session = this.ds.createQueryRunner();
    await session.connect();
    try {
      const [row] = await session.manager.query<{ locked: boolean }[]>(
        'SELECT pg_try_advisory_lock($1) AS locked',
        [AUDIT_SEQUENCER_LOCK],
      );
      if (!row?.locked) {
        await session.release();
        return false;
      }
      this.session = session;
      this.frontier = await this.loadFrontier(session);
      this.logger.log({ treeSize: this.frontier.size }, 'audit sequencer active');
      return true;
    } catch (err) {
      this.session = session;
      throw err;
    }
  }

  /** The frontier of the stored leaves, checked against the latest signed head. */
  private async loadFrontier(session: QueryRunner): Promise<Frontier> {
    const frontier = new Frontier();
    for (;;) {
      const page = await this.repository.leafHashes(
        session.manager,
        frontier.size,
        frontier.size + LOAD_PAGE,
      );
      for (const h of page) frontier.append(Buffer.from(h, 'hex'));
      if (page.length < LOAD_PAGE) break;
    }
    const head = await this.repository.latestHead(session.manager);
    const size = head?.treeSize ?? 0;
    const root = frontier.root().toString('hex');
    if (size !== frontier.size || (head && head.rootHash !== root))
      throw new Error(
        `stored leaves (${frontier.size}, root ${root}) do not match the latest signed head (${size}, ${head?.rootHash}); not sequencing`,
      );
    return frontier;
  }

  /** Integrates up to BATCH committed events in one transaction; returns how many. */
  private async sequenceBatch(): Promise<number> {
    const session = this.session!;
    const em = session.manager;
    const next = this.frontier!.clone();
    await session.startTransaction('READ COMMITTED');
    try {
      const events = await this.repository.unsequenced(em, BATCH);
      if (events.length === 0) {
        await session.commitTransaction();
        return 0;
      }
      const leaves = events.map((e, i) => {
        const leafHash = eventLeafHash(e);
        next.append(Buffer.from(leafHash, 'hex'));
        return { seq: e.seq, leafIndex: this.frontier!.size + i, leafHash };
      });
      await this.repository.assignLeaves(em, leaves);
      const timestamp = await this.repository.now(em);
      const rootHash = next.root().toString('hex');
      const { signature, keyId } = this.signing.sign(treeHeadMessage(next.size, rootHash, timestamp));
      await this.repository.insertHead(em, { treeSize: next.size, rootHash, timestamp, signature, keyId });
      await session.commitTransaction();
      this.frontier = next;
      return events.length;
    } catch (err) {
      if (session.isTransactionActive) await session.rollbackTransaction().catch(() => undefined);
      throw err;
    }
  }

  /** Gives up the lock (or finds its session gone) and returns the connection. */
  private async resign(): Promise<void> {
    const session = this.session;
    this.session = null;
    this.frontier = null;
    if (!session) return;
    await session.query('SELECT pg_advisory_unlock($1)', [AUDIT_SEQUENCER_LOCK]).catch(() => undefined);
    await session.release().catch(() => undefined);
  }
}
